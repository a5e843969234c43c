/**
 * One cost against another in the words a reader uses: "3.2× less", "1.79× more", never "0.558× the".
 * Three significant digits without trailing zeros (9.9×, 35×, 1.04×).
 */
export function lessOrMore(value: number, reference: number): string {
  if (!(value > 0 && reference > 0) || !Number.isFinite(value) || !Number.isFinite(reference)) return 'incomparable';
  if (value === reference) return 'the same';
  const times = (r: number) => `${Number(r.toPrecision(3))}×`;
  return value < reference ? `${times(reference / value)} less` : `${times(value / reference)} more`;
}

/** "loihi2 spends 9.9× less energy per token than dense-cpu". */
export function energySentence(subject: string, subjectJ: number, other: string, otherJ: number): string {
  const how = lessOrMore(subjectJ, otherJ);
  return how === 'the same' ? `${subject} spends the same energy per token as ${other}` : `${subject} spends ${how} energy per token than ${other}`;
}
