// Powers that are the same on every JavaScript engine. Math.pow is not: Node 20 and Node 24
// disagree in the last bit of 0.9 ** t for most t (VS Code's own Node and the CLI's can be
// either), and a chaotic run, such as Adam on a deep network, turns one bit into another
// result. Multiplications are IEEE-exact everywhere, so an integer power by squaring is.

/**
 * base^n for an integer n by repeated squaring. Each squaring doubles the relative error so
 * far, so it is within about |n|·ε of the exact value.
 */
export function integerPower(base: number, n: number): number {
  let result = 1;
  let square = base;
  for (let k = Math.abs(n); k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result *= square;
    if (k > 1) square *= square;
  }
  return n < 0 ? 1 / result : result;
}

/**
 * base^exponent: by squaring for integer exponents up to 2³¹ (the powers formulas and
 * optimizers use), Math.pow otherwise.
 */
export function power(base: number, exponent: number): number {
  return Number.isInteger(exponent) && Math.abs(exponent) <= 2 ** 31
    ? integerPower(base, exponent)
    : Math.pow(base, exponent);
}
