/**
 * The syntax tree of an expression: what the parser understood, before names are resolved
 * and before anything is evaluated. Every node remembers where it stands in the source
 * (`start` inclusive, `end` exclusive, 0-based offsets) so that the checker can point at
 * the offending column and runtime errors can quote the part of the expression that
 * failed (`user.address has no field 'zip'`).
 */

/** Where a node stands in the source: offsets into the string, `end` exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** `1`, `-2.5e3` (after folding), `"text"`, `true`, `false`, `null`. */
export interface LiteralNode extends Span {
  readonly kind: 'literal';
  readonly value: null | boolean | number | string;
}

/** A bare name: a field of the record's value, or a binding such as `state`. */
export interface NameNode extends Span {
  readonly kind: 'name';
  readonly name: string;
}

/** `$`: the record's whole value. */
export interface RootNode extends Span {
  readonly kind: 'root';
}

/** `$timestamp`: the record's event timestamp, or null. */
export interface TimestampNode extends Span {
  readonly kind: 'timestamp';
}

/** `object.name` or, with `optional`, `object?.name`. */
export interface MemberNode extends Span {
  readonly kind: 'member';
  readonly object: Expr;
  readonly name: string;
  readonly optional: boolean;
}

/** `object[index]` or, with `optional`, `object?.[index]`. */
export interface IndexNode extends Span {
  readonly kind: 'index';
  readonly object: Expr;
  readonly index: Expr;
  readonly optional: boolean;
}

/** `name(arg, ...)`: a call of a built-in function (only those can be called). */
export interface CallNode extends Span {
  readonly kind: 'call';
  readonly callee: string;
  readonly args: readonly Expr[];
}

export type UnaryOp = '!' | '-';

export interface UnaryNode extends Span {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
}

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryNode extends Span {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  /** Offset of the operator itself, for messages about it. */
  readonly opStart: number;
}

/** `test ? then : otherwise`. */
export interface ConditionalNode extends Span {
  readonly kind: 'conditional';
  readonly test: Expr;
  readonly then: Expr;
  readonly otherwise: Expr;
}

/** `[a, b, ...]`. */
export interface ListNode extends Span {
  readonly kind: 'list';
  readonly items: readonly Expr[];
}

/** One `key: value` of an object literal (`{key}` is `key: key`). */
export interface ObjectEntry {
  readonly key: string;
  readonly keyStart: number;
  readonly value: Expr;
}

/** `{key: value, "other key": value, shorthand}`. */
export interface ObjectNode extends Span {
  readonly kind: 'object';
  readonly entries: readonly ObjectEntry[];
}

/** Any expression. */
export type Expr =
  | LiteralNode
  | NameNode
  | RootNode
  | TimestampNode
  | MemberNode
  | IndexNode
  | CallNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | ListNode
  | ObjectNode;
