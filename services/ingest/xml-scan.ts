/**
 * One streaming pass over XML text: it checks well-formedness (for XML without a DTD), enforces the structural
 * input limits (XML_LIMITS) as it goes, and builds the namespace-resolved element tree (xml-names.ts resolves
 * each element's name as its start tag ends). The first problem in document order wins, so a hostile input is
 * rejected as soon as it crosses a limit: work and memory are linear in the bytes read up to that point. A
 * namespace problem (MALFORMED_XML or SCHEMA, xml-names.ts) is kept and reported only when the text is
 * otherwise well-formed and within the limits, as if the tree were resolved after the pass: the first such
 * problem in document order.
 *
 * What it rejects:
 *   DOCTYPE_FORBIDDEN  `<!DOCTYPE` or `<!ENTITY` (any case) where markup is read; the same characters inside a
 *                      comment, a CDATA section or an attribute value are text and are left alone
 *   MALFORMED_XML      anything that is not well-formed: names, tags that do not match, attributes without a
 *                      quoted value, a repeated attribute, `<` in an attribute value, a reference that is not
 *                      one of the five predefined entities or a character reference to an XML character, `]]>`
 *                      in character data, `--` in a comment, an XML declaration anywhere but at the start, a
 *                      CDATA section or text outside the root, no root or a second root, an unclosed element
 *   SCHEMA             elements nested deeper than XML_LIMITS.maxDepth
 *   TOO_LARGE          over another limit of XML_LIMITS
 * Reasons give the line, never the content (which could be a BSN).
 *
 * Not checked here: control characters (xml.ts tests the whole text with one regular expression first).
 */
import { fail, Rejection } from './checks';
import { detached, ROOT_SCOPE, resolveElement, type Scope } from './xml-names';

/**
 * Structural limits of one XML message, far above what any valid iStandaarden message needs (README, "Input
 * limits"): the deepest path in scope is about 8 elements, the longest element name 32 characters, the longest
 * value 200 characters; the XSDs declare no attributes (only namespace declarations and xsi:schemaLocation are
 * accepted).
 */
export const XML_LIMITS = {
  /** Element depth (the root is level 1); deeper is a SCHEMA error. */
  maxDepth: 64,
  /** Elements in one message (a WMO301 of about 820 ToegewezenProducten). */
  maxElements: 10_000,
  /** Attributes on one element, namespace declarations included. */
  maxAttributes: 16,
  /** Attributes in one message, namespace declarations included. */
  maxAttributesTotal: 256,
  /** Characters of an element or attribute name (prefix included). */
  maxNameLength: 256,
  /**
   * Characters of the text of one element (character data and CDATA after decoding; whitespace between child
   * elements does not count), and of one attribute value.
   */
  maxTextLength: 4096,
} as const;

/**
 * An element with its namespace URI resolved. `text` is the decoded character content (CDATA included) with
 * XML whitespace trimmed at both ends, as the XSD's whiteSpace collapse does for dates, times and numbers.
 */
export interface XmlElement {
  ns: string;
  name: string;
  children: XmlElement[];
  text: string;
}

/** An attribute as written: its qualified name and its decoded, normalised value. */
export type Attribute = [name: string, value: string];

// XML 1.0 (fifth edition) NameStartChar and NameChar; a surrogate pair stands for the supplementary planes.
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
const SUPPLEMENTARY = '[\\uD800-\\uDB7F][\\uDC00-\\uDFFF]';
// The classes are ranges of code units (combining marks and U+200D included on purpose), not graphemes.
// eslint-disable-next-line no-misleading-character-class
const NAME = new RegExp(`(?:[${NAME_START}]|${SUPPLEMENTARY})(?:[${NAME_CHAR}]|${SUPPLEMENTARY})*`, 'y');
const LEADING_WHITESPACE = /[ \t\r\n]*/y;
const LINE_END = /\r\n?/g;
/** Per ASCII code: 2 a NameStartChar, 1 only a NameChar, 0 neither. */
const ASCII_NAME = new Uint8Array(128).map((_, c) => {
  const ch = String.fromCharCode(c);
  if (/[:A-Z_a-z]/.test(ch)) return 2;
  return /[-.0-9]/.test(ch) ? 1 : 0;
});
const XML_DECLARATION =
  /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/y;
const DTD_MARKUP = /<!(?:DOCTYPE|ENTITY)/iy;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ATTRIBUTE_WHITESPACE = /[\t\r\n]/g;
/**
 * The ASCII names read lately, by a hash of their characters: a message repeats a few dozen element names (with
 * their prefixes) in every start and end tag, and the name found here is the same string again instead of a new
 * one per tag (three per element with its local name and prefix: a tenth of the bytes a drain allocated went to
 * the element tree). A slot holds one name of at most XML_LIMITS.maxNameLength characters, copied off its message
 * (xml-names.ts `detached`); a collision replaces it.
 */
const NAMES: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const EQUALS = 0x3d;
const BRACKET = 0x5d;

const isXmlWhitespace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Trims XML whitespace (space, tab, CR, LF; not the other characters String.trim removes). */
function trimXmlWhitespace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isXmlWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isXmlWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Parses XML text into its raw element tree; throws a Rejection. Line ends are normalised first, as XML 1.0
 * §2.11 requires: CR LF and a lone CR are read as LF (a `&#13;` reference still gives a CR).
 */
export function scanXml(text: string): XmlElement {
  return new Scanner(text.includes('\r') ? text.replace(LINE_END, '\n') : text).document();
}

class Scanner {
  private pos = 0;
  private readonly stack: XmlElement[] = [];
  /** The qualified name of each open element, to match its end tag. */
  private readonly tags: string[] = [];
  /** The namespace scope of each open element. */
  private readonly scopes: Scope[] = [];
  /** The attributes of the start tag being read. */
  private readonly attrs: Attribute[] = [];
  /** The first namespace problem in document order, reported when the pass found nothing else. */
  private namespaceProblem: Rejection | undefined;
  /** Text length counted against maxTextLength, per open element. */
  private readonly textLengths: number[] = [];
  /**
   * Whitespace read in an open element that has no child elements yet: it becomes text (and counts) only when
   * text or CDATA follows, and is dropped when a child element follows (it was indentation).
   */
  private readonly pendingWhitespace: string[] = [];
  private root: XmlElement | undefined;
  private elements = 0;
  private attributes = 0;

  constructor(private readonly text: string) {}

  document(): XmlElement {
    const { text } = this;
    XML_DECLARATION.lastIndex = 0;
    if (XML_DECLARATION.test(text)) this.pos = XML_DECLARATION.lastIndex;
    for (;;) {
      const lt = text.indexOf('<', this.pos);
      const end = lt === -1 ? text.length : lt;
      if (end > this.pos) this.characterData(end);
      if (lt === -1) break;
      this.pos = lt;
      const next = text.charCodeAt(lt + 1);
      if (next === SLASH) this.endTag();
      else if (next === QUESTION) this.processingInstruction();
      else if (next === BANG) this.bang();
      else this.startTag();
    }
    if (this.stack.length > 0) this.malformed('an element is not closed at the end of the text');
    if (this.root === undefined) this.malformed('no root element');
    if (this.namespaceProblem !== undefined) throw this.namespaceProblem;
    return this.root;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Character data

  /** The text from pos up to `end` (the next `<` or the end): references decoded, limits counted. */
  private characterData(end: number): void {
    const { text } = this;
    const start = this.pos;
    const element = this.stack[this.stack.length - 1];
    // The most this run may add before the element's text is over the limit.
    const depth = this.stack.length - 1;
    const room =
      XML_LIMITS.maxTextLength -
      (this.textLengths[depth] ?? 0) -
      (this.pendingWhitespace[depth] ?? '').length;
    let decoded = '';
    let from = start;
    // Leading whitespace (indentation, the usual run between tags) in one step.
    LEADING_WHITESPACE.lastIndex = start;
    LEADING_WHITESPACE.test(text);
    let whitespaceOnly = true;
    for (let i = LEADING_WHITESPACE.lastIndex; i < end; i++) {
      const c = text.charCodeAt(i);
      if (whitespaceOnly && !isXmlWhitespace(c)) whitespaceOnly = false;
      if (!whitespaceOnly && decoded.length + (i - from) >= room && element !== undefined) {
        this.pos = i;
        this.tooLarge(`the text of an element is longer than ${XML_LIMITS.maxTextLength} characters`);
      }
      if (c === AMP) {
        decoded += text.slice(from, i);
        const semicolon = this.reference(i, end);
        decoded += this.referenceValue(i, semicolon);
        i = semicolon;
        from = i + 1;
      } else if (c === BRACKET && text.charCodeAt(i + 1) === BRACKET && text.charCodeAt(i + 2) === GT) {
        this.pos = i;
        this.malformed("']]>' in character data");
      }
    }
    if (whitespaceOnly) {
      // Whitespace outside the root or between child elements is not content.
      if (element !== undefined && element.children.length === 0) {
        this.pendingWhitespace[this.stack.length - 1] += text.slice(start, end);
      }
      this.pos = end;
      return;
    }
    if (element === undefined) {
      this.pos = start;
      this.malformed(
        this.root === undefined ? 'text before the root element' : 'text after the root element',
      );
    }
    decoded += text.slice(from, end);
    this.addText(element, decoded);
    this.pos = end;
  }

  private addText(element: XmlElement, content: string): void {
    const depth = this.stack.length - 1;
    const decoded = (this.pendingWhitespace[depth] ?? '') + content;
    this.pendingWhitespace[depth] = '';
    const length = (this.textLengths[depth] ?? 0) + decoded.length;
    if (length > XML_LIMITS.maxTextLength) {
      this.tooLarge(`the text of an element is longer than ${XML_LIMITS.maxTextLength} characters`);
    }
    this.textLengths[depth] = length;
    element.text += decoded;
  }

  /** Checks the reference at `amp` (before `end`) and returns the index of its `;`. */
  private reference(amp: number, end: number): number {
    const semicolon = this.text.indexOf(';', amp + 1);
    // The longest well-formed reference is a character reference of 8 digits with leading zeros; allow more.
    if (semicolon === -1 || semicolon >= end || semicolon - amp > 40) {
      this.pos = amp;
      this.malformed('undeclared entity or bare & in character data');
    }
    return semicolon;
  }

  private referenceValue(amp: number, semicolon: number): string {
    const body = this.text.slice(amp + 1, semicolon);
    const named = PREDEFINED[body];
    if (named !== undefined) return named;
    let code = NaN;
    if (/^#x[0-9A-Fa-f]+$/.test(body)) code = parseInt(body.slice(2), 16);
    else if (/^#[0-9]+$/.test(body)) code = Number(body.slice(1));
    this.pos = amp;
    if (Number.isNaN(code)) this.malformed('undeclared entity or bare & in character data');
    if (!isXmlChar(code)) this.malformed('a character reference is not an XML character');
    return String.fromCodePoint(code);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tags

  private startTag(): void {
    const { text } = this;
    if (this.stack.length === 0 && this.root !== undefined) this.malformed('more than one root element');
    this.pos += 1;
    const tag = this.name('an element');
    if (++this.elements > XML_LIMITS.maxElements) {
      this.tooLarge(`more than ${XML_LIMITS.maxElements} elements`);
    }
    this.attrs.length = 0;
    for (;;) {
      const before = this.pos;
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === GT) {
        this.pos += 1;
        this.open(tag, false);
        return;
      }
      if (c === SLASH && text.charCodeAt(this.pos + 1) === GT) {
        this.pos += 2;
        this.open(tag, true);
        return;
      }
      if (this.pos === before || Number.isNaN(c)) this.malformed('a start tag is not well-formed');
      this.attribute();
    }
  }

  private attribute(): void {
    const { text, attrs } = this;
    if (attrs.length >= XML_LIMITS.maxAttributes) {
      this.tooLarge(`an element has more than ${XML_LIMITS.maxAttributes} attributes`);
    }
    if (++this.attributes > XML_LIMITS.maxAttributesTotal) {
      this.tooLarge(`more than ${XML_LIMITS.maxAttributesTotal} attributes`);
    }
    const name = this.name('an attribute');
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) !== EQUALS) this.malformed('an attribute has no value');
    this.pos += 1;
    this.skipWhitespace();
    const quote = text[this.pos];
    if (quote !== '"' && quote !== "'") this.malformed('an attribute value is not quoted');
    const close = text.indexOf(quote, this.pos + 1);
    if (close === -1) this.malformed('an attribute value is not closed');
    if (close - this.pos - 1 > XML_LIMITS.maxTextLength) {
      this.tooLarge(`an attribute value is longer than ${XML_LIMITS.maxTextLength} characters`);
    }
    let value = '';
    let from = this.pos + 1;
    for (let i = from; i < close; i++) {
      const c = text.charCodeAt(i);
      if (c === LT) {
        this.pos = i;
        this.malformed("'<' in an attribute value");
      }
      if (c === AMP) {
        value += text.slice(from, i);
        const semicolon = this.reference(i, close);
        value += this.referenceValue(i, semicolon);
        i = semicolon;
        from = i + 1;
      }
    }
    value += text.slice(from, close);
    this.pos = close + 1;
    for (const [other] of attrs) if (other === name) this.malformed('an attribute is repeated');
    // Attribute-value normalisation (XML 1.0 §3.3.3): a literal tab, CR or LF is a space.
    attrs.push([name, value.replace(ATTRIBUTE_WHITESPACE, ' ')]);
  }

  /** The start tag `tag` with this.attrs has ended: the element, its name resolved, joins the tree. */
  private open(tag: string, empty: boolean): void {
    const depth = this.stack.length;
    const parentScope = depth === 0 ? ROOT_SCOPE : this.scopes[depth - 1]!;
    const element: XmlElement = { ns: '', name: tag, children: [], text: '' };
    let scope = parentScope;
    if (this.namespaceProblem === undefined) {
      try {
        scope = resolveElement(element, tag, this.attrs, parentScope);
      } catch (e) {
        if (!(e instanceof Rejection)) throw e;
        this.namespaceProblem = e;
      }
    }
    const parent = this.stack[depth - 1];
    if (parent === undefined) this.root = element;
    else {
      parent.children.push(element);
      this.pendingWhitespace[this.stack.length - 1] = '';
    }
    if (empty) return;
    if (this.stack.length >= XML_LIMITS.maxDepth) {
      fail('SCHEMA', `elements are nested deeper than ${XML_LIMITS.maxDepth} levels`);
    }
    this.stack.push(element);
    this.tags.push(tag);
    this.scopes.push(scope);
    this.textLengths[this.stack.length - 1] = 0;
    this.pendingWhitespace[this.stack.length - 1] = '';
  }

  private endTag(): void {
    const { text } = this;
    this.pos += 2;
    const open = this.tags[this.tags.length - 1];
    // The usual case: the open element's name, then a character that cannot continue a name; read in place.
    const after = open === undefined ? NaN : text.charCodeAt(this.pos + open.length);
    const matches =
      open !== undefined && after < 128 && ASCII_NAME[after] === 0 && text.startsWith(open, this.pos);
    const tag = matches ? open : this.name('an end tag');
    if (matches) this.pos += open.length;
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) !== GT) this.malformed('an end tag is not well-formed');
    const element = this.stack.pop();
    if (element === undefined) this.malformed('an end tag without a start tag');
    if (this.tags.pop() !== tag) this.malformed('an end tag does not match its start tag');
    this.scopes.pop();
    if (element.text !== '') element.text = trimXmlWhitespace(element.text);
    this.pos += 1;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Comments, CDATA, processing instructions, DTD

  private bang(): void {
    const { text } = this;
    if (text.startsWith('<!--', this.pos)) {
      const dashes = text.indexOf('--', this.pos + 4);
      if (dashes === -1) this.malformed('a comment is not closed');
      if (text.charCodeAt(dashes + 2) !== GT) this.malformed("'--' in a comment");
      this.pos = dashes + 3;
      return;
    }
    if (text.startsWith('<![CDATA[', this.pos)) {
      const element = this.stack[this.stack.length - 1];
      if (element === undefined) this.malformed('a CDATA section outside the root element');
      const close = text.indexOf(']]>', this.pos + 9);
      if (close === -1) this.malformed('a CDATA section is not closed');
      if (close - this.pos - 9 > XML_LIMITS.maxTextLength) {
        this.tooLarge(`the text of an element is longer than ${XML_LIMITS.maxTextLength} characters`);
      }
      this.addText(element, text.slice(this.pos + 9, close));
      this.pos = close + 3;
      return;
    }
    DTD_MARKUP.lastIndex = this.pos;
    if (DTD_MARKUP.test(text)) {
      fail('DOCTYPE_FORBIDDEN', 'DOCTYPE or ENTITY declarations are not allowed (no DTD processing)');
    }
    this.malformed("markup starting with '<!' is not a comment or a CDATA section");
  }

  private processingInstruction(): void {
    this.pos += 2;
    const target = this.name('a processing instruction');
    if (target.toLowerCase() === 'xml')
      this.malformed('an XML declaration that is not well-formed or not at the start');
    const close = this.text.indexOf('?>', this.pos);
    if (close === -1) this.malformed('a processing instruction is not closed');
    if (close > this.pos && !isXmlWhitespace(this.text.charCodeAt(this.pos))) {
      this.malformed('a processing instruction is not well-formed');
    }
    this.pos = close + 2;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Helpers

  private name(what: string): string {
    const { text } = this;
    // ASCII names, the usual case, without the regular expression; hashed as they are read (see NAMES).
    let end = this.pos;
    let c = text.charCodeAt(end);
    let hash = 0;
    if (c < 128 && ASCII_NAME[c] === 2) {
      do {
        hash = (Math.imul(hash, 31) + c) | 0;
        c = text.charCodeAt(++end);
      } while (c < 128 && ASCII_NAME[c] !== 0);
    }
    const ascii = end !== this.pos && c < 128;
    if (!ascii) {
      NAME.lastIndex = this.pos;
      if (!NAME.test(text)) this.malformed(`${what} has no valid name`);
      end = NAME.lastIndex;
    }
    if (end - this.pos > XML_LIMITS.maxNameLength) {
      this.tooLarge(`${what} has a name longer than ${XML_LIMITS.maxNameLength} characters`);
    }
    let name: string | undefined;
    if (ascii) {
      const slot = hash & (NAMES.length - 1);
      name = NAMES[slot];
      if (name === undefined || name.length !== end - this.pos || !text.startsWith(name, this.pos)) {
        name = NAMES[slot] = detached(text.slice(this.pos, end));
      }
    } else name = text.slice(this.pos, end);
    this.pos = end;
    return name;
  }

  private skipWhitespace(): void {
    while (isXmlWhitespace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private line(): number {
    let line = 1;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < this.pos; i = this.text.indexOf('\n', i + 1))
      line++;
    return line;
  }

  private malformed(what: string): never {
    return fail('MALFORMED_XML', `not well-formed XML: ${what} (line ${this.line()})`);
  }

  private tooLarge(what: string): never {
    return fail('TOO_LARGE', `${what} (an input limit; line ${this.line()})`);
  }
}
