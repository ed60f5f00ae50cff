/** The known name closest to `input` (case-insensitive edit distance, or a prefix), if it looks like a typo of it. */
export function nearestName(input: string, known: Iterable<string>): string | undefined {
  const names = [...known];
  const a = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = editDistance(a, name.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(a.length / 3))) return best;
  return a.length >= 3 ? names.find((n) => n.toLowerCase().startsWith(a)) : undefined;
}

export function didYouMean(input: string, known: Iterable<string>): string {
  const near = nearestName(input, known);
  return near ? ` (did you mean '${near}'?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
