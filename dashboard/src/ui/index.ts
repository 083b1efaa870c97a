export { LineChart, type Series } from './chart';
export * from './components';
export * from './hooks';
export { type Option, SelectField } from './select-field';
