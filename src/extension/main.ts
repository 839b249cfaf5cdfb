export { activate, deactivate } from './activate';
