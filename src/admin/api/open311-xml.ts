/**
 * GeoReport v2's XML form of the same values its JSON form carries: an object is an element per
 * field in order, a list is one child element per item under its singular name (the spec's
 * `<services><service>…`, `<service_requests><request>…`, `<errors><error>…`), null is an empty
 * element, and booleans and numbers are written as JSON writes them.
 */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [field: string]: XmlValue };

/** The element name of one item of each list field, as the spec names them. */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

// XML 1.0 cannot carry most control characters at all, even escaped: they are dropped.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function element(name: string, value: XmlValue, indent: string): string {
  if (value === undefined) return '';
  if (value === null || value === '') return `${indent}<${name}></${name}>\n`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    return `${indent}<${name}>\n${value.map((v) => element(item, v, `${indent}  `)).join('')}${indent}</${name}>\n`;
  }
  if (typeof value === 'object') {
    const fields = Object.entries(value).map(([k, v]) => element(k, v, `${indent}  `));
    return `${indent}<${name}>\n${fields.join('')}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
}

/** A whole XML document whose root element is `root`. */
export function toXmlDocument(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}`;
}
