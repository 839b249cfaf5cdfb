export { parseColumnSchema, loadColumnSchema, isNumericType } from './schema';
