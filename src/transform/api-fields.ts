/**
 * The API field catalogue: the gestión's fields as docs/api.md ("Request") lists them, the
 * mandatory ones, and the limits on a value (checked per row by validate.ts).
 */

/** Every `fields` key the insertGestion docs name, in the docs' order. */
export const DOCUMENTED_FIELDS: readonly string[] = Object.freeze([
  'tipifycation_code',
  'tipifycation_desc',
  'module',
  'id_customer',
  'customer_id',
  'wolkvox_idRecord',
  'wolkvox_idCall',
  'client_name',
  'client_lastname',
  'client_type_document',
  'client_telephone',
  'agent_name',
  'agent_id',
  'type_interaction',
  'time',
  'date',
  'campaign_id',
  'tipification_code',
  'tipification_desc',
  'tipification_description',
  'wolkvox_idCustomer',
  'wolkvox_phoneCall',
  'wolkvox_CrmPhoneCall',
  'obligation',
]);

/** The docs disagree on the typification spellings: every spelling of a group gets the same value. */
export const TYPIFICATION_CODE = ['tipifycation_code', 'tipification_code'] as const;
export const TYPIFICATION_DESC = ['tipifycation_desc', 'tipification_desc', 'tipification_description'] as const;
export const TYPIFICATION_GROUPS: readonly (readonly string[])[] = [TYPIFICATION_CODE, TYPIFICATION_DESC];

/** `module` is always this for the collections API. */
export const MODULE_FIELD = 'module';
export const MODULE_VALUE = 'collections';
/** The id of the collections record that receives the gestión. */
export const RECORD_FIELD = 'wolkvox_idRecord';

/** Fields that must be non-empty in every row (besides one spelling of each typification group). */
export const REQUIRED_FIELDS: readonly string[] = [RECORD_FIELD, ...TYPIFICATION_CODE, ...TYPIFICATION_DESC];

/** Longest value we send (characters, UTF-16 code units). */
export const MAX_VALUE_LENGTH = 4000;

/**
 * Control characters we refuse: C0 except tab and newline, DEL, and C1 (U+0080–U+009F, usually a
 * sign that Windows-1252 text was decoded as Latin-1). CR is accepted only as part of CRLF, which
 * Excel writes inside quoted multi-line cells.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)/;

