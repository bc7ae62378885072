/**
 * Lexing, parsing and checking: what is accepted, how it groups, and every syntax error's
 * message and column (the column points at the offending character).
 */
import { describe, expect, test } from 'vitest';
import { compileExpression, EXPR_LIMITS, ExprSyntaxError } from '../../core/expr/index.ts';
import { tokenize } from '../../core/expr/lexer.ts';
import { parseExpression } from '../../core/expr/parser.ts';
import { ev, syntaxError } from './helpers.ts';

describe('lexer', () => {
  test('cuts operators longest first and ends with an end token', () => {
    expect(tokenize('a<=b&&!c?.d').map((t) => t.text)).toEqual(['a', '<=', 'b', '&&', '!', 'c', '?.', 'd', '']);
    expect(tokenize('  x ').map((t) => [t.type, t.start])).toEqual([
      ['name', 2],
      ['end', 4],
    ]);
  });

  test('numbers: integers, decimals, exponents', () => {
    expect(tokenize('0 12 2.5 1e3 1E-2 6.02e+23').slice(0, -1).map((t) => t.value)).toEqual([0, 12, 2.5, 1000, 0.01, 6.02e23]);
  });

  test('strings: both quotes and every JSON escape', () => {
    expect(ev(`"a\\"b"`)).toBe('a"b');
    expect(ev(`'it\\'s'`)).toBe("it's");
    expect(ev(`'say "hi"'`)).toBe('say "hi"');
    expect(ev(`"\\\\ \\/ \\b \\f \\n \\r \\t"`)).toBe('\\ / \b \f \n \r \t');
    expect(ev(`"\\u00e9\\u20AC"`)).toBe('é€');
    expect(ev(`"\\ud83d\\ude00"`)).toBe('😀');
    expect(ev(`"é 😀"`)).toBe('é 😀');
  });

  test('expressions may span lines; columns count from the start of the source', () => {
    expect(ev('1 +\n  2')).toBe(3);
    expect(syntaxError('1 +\n  )').column).toBe(7);
  });
});

describe('syntax errors: message and column', () => {
  const cases: [string, number, string][] = [
    ['(a + b', 7, "expected ')' but found end of expression"],
    ['floor(x', 8, "expected ',' or ')' but found end of expression"],
    ['', 1, 'expected an expression but found end of expression'],
    ['   ', 4, 'expected an expression but found end of expression'],
    ['a +', 4, 'expected an expression but found end of expression'],
    ['a + * b', 5, "expected an expression but found '*'"],
    ['a b', 3, "expected an operator or the end of the expression but found name 'b'"],
    ['1 2', 3, 'expected an operator or the end of the expression but found number 2'],
    ['x = 1', 3, "'=' is not an operator: write '==' to compare"],
    ['a === b', 3, "'===' is not an operator: write '==' (equality is always structural)"],
    ['a !== b', 3, "'!==' is not an operator: write '!=' (equality is always structural)"],
    ['a & b', 3, "'&' is not an operator: write '&&' for 'and'"],
    ['a | b', 3, "'|' is not an operator: write '||' for 'or'"],
    ['a # b', 3, "unexpected '#'"],
    ['a\u00a0+ b', 2, 'unexpected character U+00A0'],
    ['`x`', 1, "unexpected '`'"],
    ['"abc', 5, `expected '"' to close the string that starts at column 1 but found end of expression`],
    ["x + 'abc", 9, `expected "'" to close the string that starts at column 5 but found end of expression`],
    ['"a\\qb"', 3, "unknown escape '\\q' (known: \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"],
    ['"\\u12g4"', 6, "expected 4 hexadecimal digits after \\u but found 'g'"],
    ['"a\\', 3, 'a string cannot end with a lone backslash'],
    ['"a\nb"', 3, 'character U+000A inside a string: write it as an escape such as \\n or \\t'],
    ['07', 1, 'a number cannot start with 0 followed by more digits (write 7, not 07)'],
    ['1e', 3, 'expected the digits of an exponent but found end of expression'],
    ['2e+x', 4, "expected the digits of an exponent but found 'x'"],
    ['3x', 2, "unexpected 'x' right after the number 3"],
    ['1e999', 1, 'number 1e999 is too large'],
    ['$foo', 1, "unknown name '$foo': the only names starting with $ are $ (the whole value) and $timestamp"],
    ['a.', 3, "expected a field name after '.' but found end of expression"],
    ['a.1', 3, "expected a field name after '.' but found number 1"],
    ['a?.+', 4, "expected a field name after '?.' but found '+'"],
    ['a[1', 4, "expected ']' but found end of expression"],
    ['[1, 2', 6, "expected ',' or ']' but found end of expression"],
    ['[1,]', 4, "expected an expression but found ']'"],
    ['{a: 1', 6, "expected ',' or '}' but found end of expression"],
    ['{a 1}', 4, "expected ':' after the key 'a' but found number 1"],
    ['{1: a}', 2, 'expected a key (a name or a quoted string) but found number 1'],
    ['{a: 1, a: 2}', 8, "the key 'a' appears twice in this object"],
    ['{a, "a": 1}', 5, "the key 'a' appears twice in this object"],
    ['{true}', 2, "'{true}' is not a shorthand for a field: write {true: ...}"],
    ['a ? b', 6, "expected ':' of the conditional 'c ? a : b' but found end of expression"],
    ['1 < 2 < 3', 7, 'comparisons cannot be chained: write a < b && b < c'],
    ['a == b != c', 8, "'==' and '!=' cannot be chained: add parentheses, as in (a == b) == c"],
    ['a.b(1)', 4, 'only built-in functions can be called, by name, as in floor(x)'],
    ['(floor)(1)', 8, 'only built-in functions can be called, by name, as in floor(x)'],
    ['true(1)', 5, 'only built-in functions can be called, by name, as in floor(x)'],
    ['flor(x)', 1, "unknown function 'flor' (did you mean floor?)"],
    ['1 + uper(x)', 5, "unknown function 'uper' (did you mean upper?)"],
    ['floor(1, 2)', 1, 'floor() takes 1 argument but was given 2'],
    ['  abs()', 3, 'abs() takes 1 argument but was given 0'],
    ['substr("a")', 1, 'substr() takes 2 to 3 arguments but was given 1'],
    ['substr("a", 1, 2, 3)', 1, 'substr() takes 2 to 3 arguments but was given 4'],
    ['concat([1])', 1, 'concat() takes at least 2 arguments but was given 1'],
    ['max()', 1, 'max() takes at least 1 argument but was given 0'],
    ['x + f(1)', 5, expect.stringMatching(/^unknown function 'f' \(the functions are abs, ceil, coalesce, .*upper\)$/) as unknown as string],
  ];
  test.each(cases)('%j -> column %i', (source, column, detail) => {
    const e = syntaxError(source);
    expect(e.detail).toEqual(detail);
    expect(e.column).toBe(column);
    expect(e.source).toBe(source);
    expect(e.message).toBe(`column ${column}: ${e.detail}`);
    expect(e.name).toBe('ExprSyntaxError');
  });

  test('the message reads on its own', () => {
    expect(() => compileExpression('(a + b')).toThrow("column 7: expected ')' but found end of expression");
  });

  test('unknown functions are found by the checker even where they would never run', () => {
    expect(syntaxError('false && nope(1)').detail).toMatch(/^unknown function 'nope'/);
    expect(syntaxError('true ? 1 : [{a: floor(1, 2)}]').column).toBe(17);
  });

  test('functions and fields are separate names: a field may be called len', () => {
    expect(ev('len + len(s)', { len: 1, s: 'abc' })).toBe(4);
    expect(() => compileExpression('state(1)', { bindings: ['state'] })).toThrow("column 1: unknown function 'state'");
  });

  test('binding names must be plain names (a programming error, not a scenario error)', () => {
    expect(() => compileExpression('1', { bindings: ['a-b'] })).toThrow(TypeError);
    expect(() => compileExpression('1', { bindings: ['true'] })).toThrow(TypeError);
  });
});

describe('precedence and grouping', () => {
  const cases: [string, unknown][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['17 % 5 * 2', 4],
    ['2 * 7 % 4', 2],
    ['-2 * 3', -6],
    ['- (2 + 3) * 2', -10],
    ['!1 || 1', true],
    ['-x * 2', -6],
    ['1 + 2 < 4', true],
    ['1 < 2 == true', true],
    ['1 == 1 && 2 == 3', false],
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['false && true || true', true],
    ['1 ? 2 : 3 ? 4 : 5', 2],
    ['0 ? 2 : 0 ? 4 : 5', 5],
    ['0 ? 2 : 3 ? 4 : 5', 4],
    ['1 ? 0 ? 7 : 8 : 9', 8],
    ['1 || 0 ? "a" : "b"', 'a'],
    ['"a" + 1 + 2', 'a12'],
    ['1 + 2 + "a"', '3a'],
    ['-a.b', -5],
    ['!a.c[0]', false],
    ['- -3', 3],
    ['!!"x"', true],
  ];
  test.each(cases)('%s = %j', (source, expected) => {
    expect(ev(source, { a: { b: 5, c: [1] }, x: 3 })).toEqual(expected);
  });

  test('the tree of a - b - c is left-leaning', () => {
    const tree = parseExpression('a - b - c');
    expect(tree).toMatchObject({ kind: 'binary', op: '-', left: { kind: 'binary', op: '-' }, right: { kind: 'name', name: 'c' } });
  });

  test('-2.5 is a literal and -0 is 0', () => {
    expect(parseExpression('-2.5')).toEqual({ kind: 'literal', value: -2.5, start: 0, end: 4 });
    expect(Object.is(ev('-0'), 0)).toBe(true);
  });

  test('?. followed by a digit is a conditional, as in JavaScript', () => {
    expect(syntaxError('a?.5:1').detail).toBe("expected an expression but found '.'");
  });
});

describe('limits', () => {
  const { maxSourceLength, maxDepth } = EXPR_LIMITS;

  test('are 10,000 characters and 64 levels', () => {
    expect(maxSourceLength).toBe(10_000);
    expect(maxDepth).toBe(64);
  });

  test('a source of exactly the maximum length is accepted, one more is not', () => {
    const ok = `"${'a'.repeat(maxSourceLength - 2)}"`;
    expect(ev(ok)).toHaveLength(maxSourceLength - 2);
    const e = syntaxError(`${ok} `);
    expect(e.detail).toBe('the expression is 10001 characters long; the limit is 10000');
    expect(e.column).toBe(10_001);
  });

  test('64 nested parentheses are accepted, 65 are not, and the column is the 65th', () => {
    expect(ev(`${'('.repeat(64)}1${')'.repeat(64)}`)).toBe(1);
    const e = syntaxError(`${'('.repeat(65)}1${')'.repeat(65)}`);
    expect(e.detail).toBe('the expression is nested too deeply (more than 64 levels of operators, brackets or calls)');
    expect(e.column).toBe(65);
  });

  test('a chain of 64 operators is accepted, 65 are not', () => {
    expect(ev(Array(65).fill('1').join('+'))).toBe(65);
    const e = syntaxError(Array(66).fill('1').join('+'));
    expect(e.column).toBe(2 * 65);
  });

  const deep: [string, string][] = [
    ['parentheses', `${'('.repeat(4999)}1${')'.repeat(4999)}`],
    ['lists', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['objects', `${'{a:'.repeat(2000)}1${'}'.repeat(2000)}`],
    ['unary minus', `${'-'.repeat(9000)}x`],
    ['not', `${'!'.repeat(9000)}x`],
    ['member chains', `a${'.b'.repeat(4000)}`],
    ['index chains', `a${'[0]'.repeat(2000)}`],
    ['calls', `${'abs('.repeat(1999)}1${')'.repeat(1999)}`],
    ['conditionals', `${'a ? b : '.repeat(1000)}c`],
    ['sums', Array(4000).fill('x').join('+')],
    ['ands', Array(3000).fill('x').join('&&')],
  ];
  test.each(deep)('deeply nested %s give a clear ExprSyntaxError, never a stack overflow', (_name, source) => {
    expect(source.length).toBeLessThanOrEqual(maxSourceLength);
    const e = syntaxError(source);
    expect(e.detail).toMatch(/nested too deeply/);
  });

  test('an overlong source is refused before it is read', () => {
    const e = syntaxError('('.repeat(1_000_000));
    expect(e).toBeInstanceOf(ExprSyntaxError);
    expect(e.column).toBe(10_001);
  });
});
