import CHDF5

/// Numeric element kinds the store reads and writes. Shared by HDF5 and netCDF.
public enum StoreScalarKind: Sendable, Equatable, CaseIterable {
    case float64, float32, int64, int32, uint8

    public var isFloatingPoint: Bool { self == .float64 || self == .float32 }
    public var isSigned: Bool { self != .uint8 }
    public var size: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .uint8: 1
        }
    }

    var hdf5NativeType: hid_t {
        switch self {
        case .float64: pbte_h5t_native_double()
        case .float32: pbte_h5t_native_float()
        case .int64: pbte_h5t_native_int64()
        case .int32: pbte_h5t_native_int32()
        case .uint8: pbte_h5t_native_uint8()
        }
    }
}

/// A Swift type that maps 1:1 onto a native HDF5 numeric type.
public protocol HDF5Scalar: BitwiseCopyable, Sendable {
    static var storeKind: StoreScalarKind { get }
}

extension Double: HDF5Scalar { public static var storeKind: StoreScalarKind { .float64 } }
extension Float: HDF5Scalar { public static var storeKind: StoreScalarKind { .float32 } }
extension Int64: HDF5Scalar { public static var storeKind: StoreScalarKind { .int64 } }
extension Int32: HDF5Scalar { public static var storeKind: StoreScalarKind { .int32 } }
extension UInt8: HDF5Scalar { public static var storeKind: StoreScalarKind { .uint8 } }
// Int is 64-bit on every platform this package supports.
extension Int: HDF5Scalar { public static var storeKind: StoreScalarKind { .int64 } }

/// Description of a stored element type.
public struct StoreTypeInfo: Sendable, Equatable, CustomStringConvertible {
    public enum TypeClass: Sendable, Equatable { case integer, float, string, other }
    public var typeClass: TypeClass
    /// Bytes per element (for variable-length strings, the pointer size).
    public var size: Int
    public var isSigned: Bool
    public var isVariableLengthString: Bool

    public init(typeClass: TypeClass, size: Int, isSigned: Bool, isVariableLengthString: Bool = false) {
        self.typeClass = typeClass
        self.size = size
        self.isSigned = isSigned
        self.isVariableLengthString = isVariableLengthString
    }

    public init(_ kind: StoreScalarKind) {
        self.init(typeClass: kind.isFloatingPoint ? .float : .integer, size: kind.size, isSigned: kind.isSigned)
    }

    /// The matching scalar kind, if the stored type is one this layer handles directly.
    public var scalarKind: StoreScalarKind? {
        StoreScalarKind.allCases.first { StoreTypeInfo($0) == self }
    }

    public var description: String {
        switch typeClass {
        case .float: "float\(size * 8)"
        case .integer: "\(isSigned ? "int" : "uint")\(size * 8)"
        case .string: isVariableLengthString ? "string(variable)" : "string(\(size))"
        case .other: "other(\(size) bytes)"
        }
    }

    /// True when every value of `self` is representable exactly in `target`.
    func convertsLosslessly(to target: StoreTypeInfo) -> Bool {
        switch (typeClass, target.typeClass) {
        case (.float, .float):
            return target.size >= size
        case (.integer, .integer):
            if isSigned == target.isSigned { return target.size >= size }
            return !isSigned && target.size > size
        case (.integer, .float):
            // Float32 holds 24-bit, Float64 53-bit integers exactly.
            return (target.size == 8 && size <= 4) || (target.size == 4 && size <= 2)
        default:
            return false
        }
    }
}

extension StoreTypeInfo {
    /// Reads class/size/sign of an HDF5 datatype. Caller holds the store lock.
    init?(hdf5Type type: hid_t) {
        let size = H5Tget_size(type)
        guard size > 0 else { return nil }
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            self.init(typeClass: .integer, size: size, isSigned: H5Tget_sign(type) == H5T_SGN_2)
        case H5T_FLOAT:
            self.init(typeClass: .float, size: size, isSigned: true)
        case H5T_STRING:
            self.init(
                typeClass: .string, size: size, isSigned: false,
                isVariableLengthString: H5Tis_variable_str(type) > 0)
        case H5T_NO_CLASS:
            return nil
        default:
            self.init(typeClass: .other, size: size, isSigned: false)
        }
    }
}
