/*
 * The `$filter` subset the list-item endpoint documents (reference/graph-contract.md §2.4): eq, ne, lt,
 * gt, le, ge, startswith, and/or/not and parentheses, over `fields/<Name>` and listItem properties.
 * Literals: 'text' (a quote doubled inside), numbers, true, false, null.
 */

export type Literal = string | number | boolean | null;

export type Comparison = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: Comparison; field: FieldRef; value: Literal }
  | { kind: 'startswith'; field: FieldRef; value: string };

/** `fields/Name` (a column) or a bare listItem property (`id`, `createdDateTime`…). */
export interface FieldRef {
  column: boolean;
  name: string;
}

export class FilterSyntaxError extends Error {}

type Token =
  | { t: 'word'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: '('; v: '(' }
  | { t: ')'; v: ')' }
  | { t: ','; v: ',' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c, v: c } as Token);
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new FilterSyntaxError('unterminated string literal');
        const d = source.charAt(i);
        if (d === "'") {
          if (source.charAt(i + 1) === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      tokens.push({ t: 'string', v: value });
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(source.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected "${c}" at ${i}`);
      tokens.push({ t: 'number', v: Number(m[0]) });
      i += m[0].length;
    } else {
      const m = /^[A-Za-z_$][A-Za-z0-9_/.$]*/.exec(source.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected "${c}" at ${i}`);
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'gt', 'le', 'ge']);

export function parseFilter(source: string): FilterNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => {
    const token = tokens[pos++];
    if (!token) throw new FilterSyntaxError('unexpected end of $filter');
    return token;
  };
  const isWord = (token: Token | undefined, word: string) =>
    token?.t === 'word' && token.v.toLowerCase() === word;

  const fieldRef = (token: Token): FieldRef => {
    if (token.t !== 'word') throw new FilterSyntaxError(`expected a field, got ${JSON.stringify(token.v)}`);
    if (token.v.startsWith('fields/')) return { column: true, name: token.v.slice('fields/'.length) };
    return { column: false, name: token.v };
  };
  const literal = (token: Token): Literal => {
    if (token.t === 'string' || token.t === 'number') return token.v;
    if (token.t === 'word') {
      const w = token.v.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    throw new FilterSyntaxError(`expected a value, got ${JSON.stringify(token.v)}`);
  };

  const primary = (): FilterNode => {
    const token = take();
    if (token.t === '(') {
      const inner = orExpr();
      if (take().t !== ')') throw new FilterSyntaxError('expected ")"');
      return inner;
    }
    if (isWord(token, 'not')) return { kind: 'not', operand: primary() };
    if (isWord(token, 'startswith')) {
      if (take().t !== '(') throw new FilterSyntaxError('expected "(" after startswith');
      const field = fieldRef(take());
      if (take().t !== ',') throw new FilterSyntaxError('expected "," in startswith');
      const value = literal(take());
      if (take().t !== ')') throw new FilterSyntaxError('expected ")" after startswith');
      if (typeof value !== 'string') throw new FilterSyntaxError('startswith takes a text value');
      return { kind: 'startswith', field, value };
    }
    const field = fieldRef(token);
    const op = take();
    if (op.t !== 'word' || !COMPARISONS.has(op.v.toLowerCase())) {
      throw new FilterSyntaxError(`expected eq, ne, lt, gt, le or ge after ${token.v}`);
    }
    return { kind: 'compare', op: op.v.toLowerCase() as Comparison, field, value: literal(take()) };
  };
  const andExpr = (): FilterNode => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };

  const node = orExpr();
  if (pos !== tokens.length) throw new FilterSyntaxError(`unexpected ${JSON.stringify(tokens[pos]?.v)}`);
  return node;
}

/** Every field a filter names. */
export function fieldsOf(node: FilterNode): FieldRef[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...fieldsOf(node.left), ...fieldsOf(node.right)];
    case 'not':
      return fieldsOf(node.operand);
    default:
      return [node.field];
  }
}

/** The top-level AND terms. */
export function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

function compareValues(a: unknown, b: Literal): number | undefined {
  if (a === null || a === undefined || b === null) return undefined;
  if (typeof b === 'number') {
    const n = typeof a === 'number' ? a : Number(a);
    return Number.isNaN(n) ? undefined : n - b;
  }
  if (typeof b === 'boolean') return a === b ? 0 : undefined;
  const s = String(a);
  return s < b ? -1 : s > b ? 1 : 0;
}

export function evaluate(node: FilterNode, fieldValue: (field: FieldRef) => unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, fieldValue) && evaluate(node.right, fieldValue);
    case 'or':
      return evaluate(node.left, fieldValue) || evaluate(node.right, fieldValue);
    case 'not':
      return !evaluate(node.operand, fieldValue);
    case 'startswith': {
      const value = fieldValue(node.field);
      return typeof value === 'string' && value.startsWith(node.value);
    }
    case 'compare': {
      const value = fieldValue(node.field);
      const isNull = value === null || value === undefined || value === '';
      if (node.value === null) {
        if (node.op === 'eq') return isNull;
        if (node.op === 'ne') return !isNull;
        return false;
      }
      if (node.op === 'ne') {
        const d = compareValues(value, node.value);
        return d === undefined || d !== 0;
      }
      const d = compareValues(value, node.value);
      if (d === undefined) return false;
      switch (node.op) {
        case 'eq':
          return d === 0;
        case 'lt':
          return d < 0;
        case 'gt':
          return d > 0;
        case 'le':
          return d <= 0;
        case 'ge':
          return d >= 0;
      }
    }
  }
}
