export { YamlFile, formatDiagnostic, entries, asMap, asSeq, asString, asNumber, asBoolean } from './yaml-file';
export { readYamlObject } from './plain';
export type { PlainMap } from './plain';
