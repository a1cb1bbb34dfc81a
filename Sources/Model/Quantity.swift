import Foundation

/// Physical quantities written with their unit ("20 nm", "1e15 W m-3", "0.5 K"), converted to SI.
public enum Quantity {
    public enum Kind: String, Sendable {
        case length, temperature, powerDensity = "power density", rate, time, frequency, dimensionless
        case temperatureGradient = "temperature gradient"
        case massDensity = "mass density"
        public var example: String {
            switch self {
            case .length: return "20 nm"
            case .temperature: return "1 K"
            case .powerDensity: return "1e15 W m-3"
            case .rate: return "1e12 s-1"
            case .time: return "1 ps"
            case .frequency: return "2 THz"
            case .dimensionless: return "0.5"
            case .temperatureGradient: return "1e6 K m-1"
            case .massDensity: return "2329 kg m-3"
            }
        }
        var units: [String: Double] {
            switch self {
            case .length: return ["m": 1, "mm": 1e-3, "um": 1e-6, "µm": 1e-6, "nm": 1e-9, "angstrom": 1e-10, "Å": 1e-10, "A": 1e-10, "bohr": Constants.bohr]
            case .temperature: return ["K": 1, "mK": 1e-3]
            case .powerDensity: return ["W m-3": 1, "W/m3": 1, "W/m^3": 1, "W cm-3": 1e6, "W nm-3": 1e27, "W um-3": 1e18]
            case .rate: return ["s-1": 1, "1/s": 1, "ps-1": 1e12, "1/ps": 1e12]
            case .time: return ["s": 1, "ns": 1e-9, "ps": 1e-12, "fs": 1e-15]
            case .frequency: return ["Hz": 1, "THz": 1e12, "GHz": 1e9]
            case .dimensionless: return ["": 1, "1": 1]
            case .temperatureGradient: return ["K m-1": 1, "K/m": 1, "K um-1": 1e6, "K nm-1": 1e9]
            case .massDensity: return ["kg m-3": 1, "kg/m3": 1, "g cm-3": 1000, "g/cm3": 1000]
            }
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ text: String, _ kind: Kind) throws -> Double {
        let s = text.trimmingCharacters(in: .whitespaces)
        let numberPart = s.prefix { "0123456789+-.eE".contains($0) }
        guard let x = Double(numberPart), x.isFinite else {
            throw ParseError(message: "expected a number followed by a unit (e.g. \"\(kind.example)\"), found \"\(text)\"")
        }
        let unit = s.dropFirst(numberPart.count).trimmingCharacters(in: .whitespaces)
        guard let f = kind.units[unit] else {
            let allowed = kind.units.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")
            throw ParseError(message: "unknown \(kind.rawValue) unit '\(unit)' in \"\(text)\" (allowed: \(allowed))")
        }
        return x * f
    }

    /// Three numbers sharing one unit, e.g. "0 0 10 nm" or "1e6 0 0 K m-1", converted to SI.
    public static func parseVector(_ text: String, _ kind: Kind) throws -> Vector3 {
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count >= 4, let x = Double(parts[0]), let y = Double(parts[1]), let z = Double(parts[2]) else {
            throw ParseError(
                message:
                    "expected three numbers and a unit, e.g. \"0 0 10 \(kind.example.split(separator: " ").dropFirst().joined(separator: " "))\", found \"\(text)\""
            )
        }
        guard x.isFinite, y.isFinite, z.isFinite else {
            throw ParseError(message: "expected three finite numbers, found \"\(text)\"")
        }
        let f = try parse("1 " + parts[3...].joined(separator: " "), kind)
        return Vector3(x * f, y * f, z * f)
    }
}
