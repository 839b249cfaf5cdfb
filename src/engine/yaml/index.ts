export { YamlFile, formatDiagnostic, entries, asMap, asSeq, asString, asNumber, asBoolean } from './yaml-file';
