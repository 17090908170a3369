// Resolver hooks for Node's module.register(): dt-sql-parser's ESM build (dist/) imports directories ('./parser') and
// files without an extension ('./parser/common/types'), which only bundlers and TypeScript accept. Node refuses both,
// so for a relative specifier that fails to resolve we try '<spec>.js' and then '<spec>/index.js'. Every other
// specifier goes to Node's own resolver unchanged.

const RETRY_CODES = new Set(['ERR_UNSUPPORTED_DIR_IMPORT', 'ERR_MODULE_NOT_FOUND']);

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (!relative || !RETRY_CODES.has(error?.code)) {
      throw error;
    }
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      try {
        return await nextResolve(candidate, context);
      } catch {
        // Try the next form; if none resolves, the original error is the clearer one.
      }
    }
    throw error;
  }
}
