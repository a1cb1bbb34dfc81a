import Model

/// Interface kernels by name, as the run configuration selects them ([[interface]] kind = …).
enum InterfaceFactory {
    static func builder(for spec: RunConfig.Interface, file: String) throws -> (ModeSet, ModeSet, Vector3) throws -> InterfaceKernel {
        throw ConfigError(file: file, line: spec.line, "[[interface]] kind '\\(spec.kind)' is not available yet")
    }
}
