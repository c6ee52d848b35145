export { type CompiledPattern, compilePattern, type PatternValidation, validatePattern } from './compile.js';
export { PatternError } from './errors.js';
