export {
  type CompiledPattern,
  compilePattern,
  PatternGroup,
  type PatternValidation,
  validatePattern,
} from './compile.js';
export { PatternError } from './errors.js';
