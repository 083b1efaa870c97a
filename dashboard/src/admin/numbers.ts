/**
 * A number typed in a form: blank → null, a number (comma or point) → that number, anything else
 * as typed, so the server refuses it naming the field (its message, not a guess of ours).
 */
export function numberOrRaw(typed: string): number | string | null {
  const s = typed.trim().replace(/\s/g, '').replace(',', '.');
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : typed;
}
