import { badRequest } from '../store-errors';
import { isDns1123Subdomain } from '../validation';

export const LabelOp = {
  Equals: '=',
  NotEquals: '!=',
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
} as const;
export type LabelOp = (typeof LabelOp)[keyof typeof LabelOp];

export interface LabelRequirement {
  readonly key: string;
  readonly op: LabelOp;
  readonly values: readonly string[];
}

/** Parsed once; an empty array selects everything. */
export type LabelSelector = readonly LabelRequirement[];

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function validateLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) {
    return `invalid label key ${JSON.stringify(key)}: prefix part must be a lowercase RFC 1123 subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return (
      `invalid label key ${JSON.stringify(key)}: name part must consist of alphanumeric characters, ` +
      `'-', '_' or '.', start and end with an alphanumeric character, and be at most 63 characters`
    );
  }
  return undefined;
}

export function validateLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return (
      `invalid label value ${JSON.stringify(value)}: must be 63 characters or less and consist of ` +
      `alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`
    );
  }
  return undefined;
}

type Token = { kind: 'word' | 'op' | '(' | ')' | ',' | '!'; text: string };

const SPECIAL = new Set(['!', '=', '(', ')', ',', ' ', '\t', '\n', '\r']);

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, text: c });
      i++;
    } else if (c === '!' && s[i + 1] === '=') {
      out.push({ kind: 'op', text: '!=' });
      i += 2;
    } else if (c === '!') {
      out.push({ kind: '!', text: '!' });
      i++;
    } else if (c === '=') {
      const two = s[i + 1] === '=';
      out.push({ kind: 'op', text: '=' });
      i += two ? 2 : 1;
    } else {
      let j = i;
      while (j < s.length && !SPECIAL.has(s[j])) j++;
      out.push({ kind: 'word', text: s.slice(i, j) });
      i = j;
    }
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly src: string,
  ) {}

  fail(what: string): never {
    throw badRequest(
      `unable to parse requirement: ${what} in label selector ${JSON.stringify(this.src)}`,
    );
  }

  peek(): Token | undefined {
    return this.toks[this.pos];
  }

  next(): Token | undefined {
    return this.toks[this.pos++];
  }

  word(what: string): string {
    const t = this.next();
    if (!t || t.kind !== 'word') this.fail(`expected ${what}`);
    return t.text;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    if (this.toks.length === 0) return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const t = this.next();
      if (!t) return reqs;
      if (t.kind !== ',') this.fail(`unexpected ${JSON.stringify(t.text)}`);
    }
  }

  requirement(): LabelRequirement {
    if (this.peek()?.kind === '!') {
      this.next();
      return this.checked({
        key: this.word('a key after "!"'),
        op: LabelOp.DoesNotExist,
        values: [],
      });
    }
    const key = this.word('a key');
    const t = this.peek();
    if (!t || t.kind === ',') return this.checked({ key, op: LabelOp.Exists, values: [] });
    this.next();
    if (t.kind === 'op') {
      const v = this.peek();
      const value = v?.kind === 'word' ? (this.next(), v.text) : '';
      return this.checked({
        key,
        op: t.text === '!=' ? LabelOp.NotEquals : LabelOp.Equals,
        values: [value],
      });
    }
    if (t.kind === 'word' && (t.text === 'in' || t.text === 'notin')) {
      return this.checked({
        key,
        op: t.text === 'in' ? LabelOp.In : LabelOp.NotIn,
        values: this.set(),
      });
    }
    return this.fail(`unexpected ${JSON.stringify(t.text)} after key ${JSON.stringify(key)}`);
  }

  /** `(a, b)`; as in Kubernetes an empty element is the empty value: `()` is `("")`. */
  set(): string[] {
    if (this.next()?.kind !== '(') this.fail('expected "(" after in/notin');
    const values: string[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) this.fail('unterminated value set');
      values.push(t.kind === 'word' ? (this.next(), t.text) : '');
      const sep = this.next();
      if (sep?.kind === ')') return values;
      if (sep?.kind !== ',') this.fail('expected "," or ")" in value set');
    }
  }

  checked(r: LabelRequirement): LabelRequirement {
    const problem =
      validateLabelKey(r.key) ?? r.values.map(validateLabelValue).find((p) => p !== undefined);
    if (problem) throw badRequest(`${problem} (label selector ${JSON.stringify(this.src)})`);
    return r;
  }
}

/** Parses Kubernetes label selector syntax; every malformed input is a BadRequest. */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  if (!selector || selector.trim() === '') return [];
  return new Parser(tokenize(selector), selector).parse();
}

export function matchesLabels(
  labels: Readonly<Record<string, string>> | undefined,
  sel: LabelSelector,
): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = has ? l[r.key] : undefined;
    switch (r.op) {
      case LabelOp.Equals:
        return has && v === r.values[0];
      case LabelOp.NotEquals:
        return !has || v !== r.values[0];
      case LabelOp.In:
        return has && r.values.includes(v as string);
      case LabelOp.NotIn:
        return !has || !r.values.includes(v as string);
      case LabelOp.Exists:
        return has;
      case LabelOp.DoesNotExist:
        return !has;
    }
  });
}
