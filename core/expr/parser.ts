/**
 * The parser turns tokens into a syntax tree by recursive descent, one function per
 * precedence level, lowest first: `?:`, `||`, `&&`, `==` `!=`, `<` `<=` `>` `>=`, `+` `-`,
 * `*` `/` `%`, unary `!` `-`, then member access, indexing and calls.
 *
 * It also enforces the two limits that keep a scenario file from hurting the engine: the
 * length of the source and the nesting depth. Depth counts every operator, bracket, call
 * and member step that encloses a point of the expression, so the tree that comes out is
 * never deeper than the limit, and neither the parser nor the checker nor the compiled
 * closures can run out of stack on any input.
 */
import type { BinaryOp, Expr, ObjectEntry } from './ast.ts';
import { ExprSyntaxError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

/** The longest expression source accepted, in UTF-16 code units. */
export const MAX_SOURCE_LENGTH = 10_000;
/** The deepest nesting of operators, brackets, calls and member steps accepted. */
export const MAX_DEPTH = 64;

const KEYWORDS: Readonly<Record<string, null | boolean>> = { true: true, false: false, null: null };
const isKeyword = (name: string): boolean => Object.hasOwn(KEYWORDS, name);

/**
 * Parses `source` into a syntax tree, without resolving names or checking calls (that is
 * the checker's job).
 *
 * @example parseExpression('a + 1') // { kind: 'binary', op: '+', left: { kind: 'name', name: 'a', ... }, ... }
 * @throws ExprSyntaxError with the column of the offending character
 */
export function parseExpression(source: string): Expr {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExprSyntaxError(
      `the expression is ${source.length} characters long; the limit is ${MAX_SOURCE_LENGTH}`,
      source,
      MAX_SOURCE_LENGTH + 1,
    );
  }
  const parser = new Parser(source, tokenize(source));
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

/** How a token reads in a message: `end of expression`, `'+'`, `name 'amount'`. */
function describeToken(t: Token): string {
  switch (t.type) {
    case 'end':
      return 'end of expression';
    case 'number':
      return `number ${t.text}`;
    case 'string':
      return `string ${t.text.length > 30 ? `${t.text.slice(0, 27)}...` : t.text}`;
    case 'name':
      return isKeyword(t.text) ? `'${t.text}'` : `name '${t.text}'`;
    default:
      return `'${t.text}'`;
  }
}

class Parser {
  readonly #source: string;
  readonly #tokens: readonly Token[];
  #pos = 0;
  #depth = 0;

  constructor(source: string, tokens: readonly Token[]) {
    this.#source = source;
    this.#tokens = tokens;
  }

  expression(): Expr {
    return this.#conditional();
  }

  expectEnd(): void {
    const t = this.#peek();
    if (t.type !== 'end') throw this.#error(`expected an operator or the end of the expression but found ${describeToken(t)}`, t.start);
  }

  // Tokens ------------------------------------------------------------------------------

  #peek(): Token {
    // The token list always ends with an `end` token, and #pos never passes it.
    return this.#tokens[this.#pos]!;
  }

  #next(): Token {
    const t = this.#peek();
    if (t.type !== 'end') this.#pos += 1;
    return t;
  }

  #isOp(t: Token, text: string): boolean {
    return t.type === 'op' && t.text === text;
  }

  #expectOp(text: string, context = `'${text}'`): Token {
    const t = this.#peek();
    if (!this.#isOp(t, text)) throw this.#error(`expected ${context} but found ${describeToken(t)}`, t.start);
    return this.#next();
  }

  #error(detail: string, at: number): ExprSyntaxError {
    return new ExprSyntaxError(detail, this.#source, at + 1);
  }

  #enter(at: number): void {
    this.#depth += 1;
    if (this.#depth > MAX_DEPTH) {
      throw this.#error(`the expression is nested too deeply (more than ${MAX_DEPTH} levels of operators, brackets or calls)`, at);
    }
  }

  // Precedence levels, lowest first ---------------------------------------------------------

  #conditional(): Expr {
    const test = this.#or();
    const q = this.#peek();
    if (!this.#isOp(q, '?')) return test;
    this.#next();
    this.#enter(q.start);
    const then = this.#conditional();
    this.#expectOp(':', "':' of the conditional 'c ? a : b'");
    const otherwise = this.#conditional();
    this.#depth -= 1;
    return { kind: 'conditional', test, then, otherwise, start: test.start, end: otherwise.end };
  }

  #or(): Expr {
    return this.#leftAssociative(OR, () => this.#and());
  }

  #and(): Expr {
    return this.#leftAssociative(AND, () => this.#equality());
  }

  #equality(): Expr {
    return this.#nonAssociative(EQUALITY, () => this.#comparison(), "'==' and '!=' cannot be chained: add parentheses, as in (a == b) == c");
  }

  #comparison(): Expr {
    return this.#nonAssociative(COMPARISON, () => this.#additive(), 'comparisons cannot be chained: write a < b && b < c');
  }

  #additive(): Expr {
    return this.#leftAssociative(ADDITIVE, () => this.#multiplicative());
  }

  #multiplicative(): Expr {
    return this.#leftAssociative(MULTIPLICATIVE, () => this.#unary());
  }

  #binaryOp(ops: readonly BinaryOp[]): BinaryOp | null {
    const t = this.#peek();
    if (t.type !== 'op') return null;
    return ops.find((op) => op === t.text) ?? null;
  }

  #leftAssociative(ops: readonly BinaryOp[], operand: () => Expr): Expr {
    let left = operand();
    let levels = 0;
    for (let op = this.#binaryOp(ops); op !== null; op = this.#binaryOp(ops)) {
      const t = this.#next();
      this.#enter(t.start);
      levels += 1;
      const right = operand();
      left = { kind: 'binary', op, left, right, opStart: t.start, start: left.start, end: right.end };
    }
    this.#depth -= levels;
    return left;
  }

  #nonAssociative(ops: readonly BinaryOp[], operand: () => Expr, chained: string): Expr {
    const left = operand();
    const op = this.#binaryOp(ops);
    if (op === null) return left;
    const t = this.#next();
    this.#enter(t.start);
    const right = operand();
    if (this.#binaryOp(ops) !== null) throw this.#error(chained, this.#peek().start);
    this.#depth -= 1;
    return { kind: 'binary', op, left, right, opStart: t.start, start: left.start, end: right.end };
  }

  #unary(): Expr {
    const t = this.#peek();
    if (!this.#isOp(t, '!') && !this.#isOp(t, '-')) return this.#postfix();
    this.#next();
    this.#enter(t.start);
    const operand = this.#unary();
    this.#depth -= 1;
    if (t.text === '-' && operand.kind === 'literal' && typeof operand.value === 'number') {
      // `-2.5` is a literal, as in JSON; `0 - 0` is 0, so is `-0`.
      return { kind: 'literal', value: operand.value === 0 ? 0 : -operand.value, start: t.start, end: operand.end };
    }
    return { kind: 'unary', op: t.text === '!' ? '!' : '-', operand, start: t.start, end: operand.end };
  }

  #postfix(): Expr {
    let expr = this.#primary();
    let levels = 0;
    for (;;) {
      const t = this.#peek();
      if (t.type !== 'op') break;
      if (t.text === '.' || t.text === '?.') {
        this.#next();
        this.#enter(t.start);
        levels += 1;
        const optional = t.text === '?.';
        if (optional && this.#isOp(this.#peek(), '[')) {
          expr = this.#index(expr, true);
          continue;
        }
        const name = this.#peek();
        if (name.type !== 'name') {
          throw this.#error(`expected a field name after '${t.text}' but found ${describeToken(name)}`, name.start);
        }
        this.#next();
        expr = { kind: 'member', object: expr, name: name.text, optional, start: expr.start, end: name.end };
      } else if (t.text === '[') {
        this.#enter(t.start);
        levels += 1;
        expr = this.#index(expr, false);
      } else if (t.text === '(') {
        throw this.#error('only built-in functions can be called, by name, as in floor(x)', t.start);
      } else {
        break;
      }
    }
    this.#depth -= levels;
    return expr;
  }

  #index(object: Expr, optional: boolean): Expr {
    this.#expectOp('[');
    const index = this.expression();
    const close = this.#expectOp(']');
    return { kind: 'index', object, index, optional, start: object.start, end: close.end };
  }

  #primary(): Expr {
    const t = this.#peek();
    switch (t.type) {
      case 'number':
        this.#next();
        return { kind: 'literal', value: t.value as number, start: t.start, end: t.end };
      case 'string':
        this.#next();
        return { kind: 'literal', value: t.value as string, start: t.start, end: t.end };
      case 'dollar':
        this.#next();
        return { kind: t.text === '$' ? 'root' : 'timestamp', start: t.start, end: t.end };
      case 'name':
        this.#next();
        if (isKeyword(t.text)) return { kind: 'literal', value: KEYWORDS[t.text]!, start: t.start, end: t.end };
        if (this.#isOp(this.#peek(), '(')) return this.#call(t);
        return { kind: 'name', name: t.text, start: t.start, end: t.end };
      case 'op':
        if (t.text === '(') return this.#parenthesized();
        if (t.text === '[') return this.#list();
        if (t.text === '{') return this.#object();
        break;
      default:
        break;
    }
    throw this.#error(`expected an expression but found ${describeToken(t)}`, t.start);
  }

  #parenthesized(): Expr {
    const open = this.#next();
    this.#enter(open.start);
    const inner = this.expression();
    const close = this.#expectOp(')');
    this.#depth -= 1;
    return { ...inner, start: open.start, end: close.end };
  }

  #call(name: Token): Expr {
    const open = this.#next();
    this.#enter(open.start);
    const args = this.#sequence(')');
    const close = this.#next();
    this.#depth -= 1;
    return { kind: 'call', callee: name.text, args, start: name.start, end: close.end };
  }

  /** Comma-separated expressions up to (not including) the closing `close`. */
  #sequence(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.#isOp(this.#peek(), close)) return items;
    for (;;) {
      items.push(this.expression());
      const t = this.#peek();
      if (this.#isOp(t, close)) return items;
      if (!this.#isOp(t, ',')) throw this.#error(`expected ',' or '${close}' but found ${describeToken(t)}`, t.start);
      this.#next();
    }
  }

  #list(): Expr {
    const open = this.#next();
    this.#enter(open.start);
    const items = this.#sequence(']');
    const close = this.#next();
    this.#depth -= 1;
    return { kind: 'list', items, start: open.start, end: close.end };
  }

  #object(): Expr {
    const open = this.#next();
    this.#enter(open.start);
    const entries: ObjectEntry[] = [];
    const seen = new Set<string>();
    if (!this.#isOp(this.#peek(), '}')) {
      for (;;) {
        const k = this.#next();
        if (k.type !== 'name' && k.type !== 'string') {
          throw this.#error(`expected a key (a name or a quoted string) but found ${describeToken(k)}`, k.start);
        }
        const key = k.value as string;
        if (seen.has(key)) throw this.#error(`the key '${key}' appears twice in this object`, k.start);
        seen.add(key);
        const after = this.#peek();
        if (k.type === 'name' && (this.#isOp(after, ',') || this.#isOp(after, '}'))) {
          if (isKeyword(key)) throw this.#error(`'{${key}}' is not a shorthand for a field: write {${key}: ...}`, k.start);
          entries.push({ key, keyStart: k.start, value: { kind: 'name', name: key, start: k.start, end: k.end } });
        } else {
          this.#expectOp(':', `':' after the key '${key}'`);
          entries.push({ key, keyStart: k.start, value: this.expression() });
        }
        const t = this.#peek();
        if (this.#isOp(t, '}')) break;
        if (!this.#isOp(t, ',')) throw this.#error(`expected ',' or '}' but found ${describeToken(t)}`, t.start);
        this.#next();
      }
    }
    const close = this.#next();
    this.#depth -= 1;
    return { kind: 'object', entries, start: open.start, end: close.end };
  }
}

const OR: readonly BinaryOp[] = ['||'];
const AND: readonly BinaryOp[] = ['&&'];
const EQUALITY: readonly BinaryOp[] = ['==', '!='];
const COMPARISON: readonly BinaryOp[] = ['<', '<=', '>', '>='];
const ADDITIVE: readonly BinaryOp[] = ['+', '-'];
const MULTIPLICATIVE: readonly BinaryOp[] = ['*', '/', '%'];
