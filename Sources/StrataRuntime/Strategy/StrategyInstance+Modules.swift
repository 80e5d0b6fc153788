import LuaBridge

extension StrategyInstance {
    /// Installs `require` over `script`'s modules with an empty cache, and starts the list of
    /// the modules it loads over.
    func installRequire(for script: StrategyScript) {
        requiredModules = []
        let modules = script.modules
        let folder = script.moduleFolder
        let maxBytes = limits.maxSourceBytes
        lua.installRequire(root: script.name) { [unowned self] name in
            guard let source = modules[name] else {
                return .failure(LuaModuleMissing("module '\(name)' not found in \(folder)"))
            }
            guard source.utf8.count <= maxBytes else {
                return .failure(LuaModuleMissing("module '\(name)' is larger than \(maxBytes) bytes"))
            }
            self.requiredModules.append(name)
            return .success(source)
        }
    }
}
