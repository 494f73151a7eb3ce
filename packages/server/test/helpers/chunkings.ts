/** Deterministic PRNG (mulberry32), so a failing random split can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The ways a fixture is split before feeding: whole, per line, per byte, and seeded random. */
export function chunkings(bytes: Buffer, seeds: number[] = [1, 2, 3]): [name: string, pieces: Buffer[]][] {
  const out: [string, Buffer[]][] = [['whole', [bytes]]]
  const lines: Buffer[] = []
  let start = 0
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      lines.push(bytes.subarray(start, i + 1))
      start = i + 1
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start))
  out.push(['per line', lines])
  out.push(['per byte', Array.from(bytes, (b) => Buffer.from([b]))])
  for (const seed of seeds) {
    const random = seededRandom(seed)
    const pieces: Buffer[] = []
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + Math.floor(random() * 16)
      pieces.push(bytes.subarray(i, i + n))
      i += n
    }
    out.push([`random seed ${seed}`, pieces])
  }
  return out
}
