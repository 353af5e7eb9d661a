/** The lab's single typed config: schema, validation, and the YAML / URL-hash / CLI forms. */
export {
  FIELDS,
  FIELD_KEYS,
  GROUPS,
  SECTION_KEYS,
  defaultConfig,
  getField,
  isFieldKey,
  type Config,
  type ConfigValue,
  type Field,
  type FieldKey,
  type FieldKind,
  type FieldScale,
  type FieldSpec,
  type FieldValue,
  type FlatConfig,
} from './schema';
export { ConfigError, suggestKey } from './errors';
export { checkValue, setValue, validateConfig, validateConfigAll, validateValue } from './validate';
export { flattenConfig, getValue, unflatten } from './flat';
export { applyOverrides, parseFieldValue, parseOverride } from './overrides';
export { YamlSyntaxError, configFromYaml, configToYaml } from './yaml';
export { configFromHash, configToHash } from './url';
export { diffConfig, liveChanges, type ConfigDiff } from './diff';
export { labDefaults } from './lab-defaults';
