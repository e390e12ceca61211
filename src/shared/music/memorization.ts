// Runs anywhere. The memorization check of model.md sec. 5: the longest run of consecutive pitches a
// generated piece shares with a training piece. A model that copies its training data is not a composer.

export interface CopiedRun {
  /** Number of consecutive pitches shared; 0 when no pitch is shared. */
  length: number
  /** Which training sequence holds the run; -1 when length is 0. */
  trainingIndex: number
  /** Where the run starts in that training sequence; -1 when length is 0. */
  trainingStart: number
  /** Where the run starts in the generated sequence; -1 when length is 0. */
  generatedStart: number
}

/** MIDI pitches 0-127: the automaton's alphabet. */
const PITCHES = 128

/**
 * The suffix automaton of a sequence: the smallest automaton that accepts exactly its substrings, built by
 * the standard online construction (Blumer et al.) with at most 2n states. Transitions are a dense table,
 * states x 128 pitches, which is small because the generated sequence is short.
 */
class SuffixAutomaton {
  readonly next: Int32Array
  readonly link: Int32Array
  /** The length of the longest string each state stands for. */
  readonly len: Int32Array
  /** Where the state's strings first end in the sequence. */
  readonly firstEnd: Int32Array

  constructor(sequence: readonly number[]) {
    const capacity = 2 * sequence.length + 1
    this.next = new Int32Array(capacity * PITCHES).fill(-1)
    this.link = new Int32Array(capacity).fill(-1)
    this.len = new Int32Array(capacity)
    this.firstEnd = new Int32Array(capacity)
    const { next, link, len, firstEnd } = this
    let states = 1
    let last = 0
    sequence.forEach((c, i) => {
      const current = states++
      len[current] = len[last] + 1
      firstEnd[current] = i
      let p = last
      for (; p !== -1 && next[p * PITCHES + c] === -1; p = link[p]) next[p * PITCHES + c] = current
      if (p === -1) link[current] = 0
      else {
        const q = next[p * PITCHES + c]
        if (len[p] + 1 === len[q]) link[current] = q
        else {
          // q also stands for longer strings that do not end here: split off a clone for the shorter ones.
          const clone = states++
          next.copyWithin(clone * PITCHES, q * PITCHES, (q + 1) * PITCHES)
          len[clone] = len[p] + 1
          link[clone] = link[q]
          firstEnd[clone] = firstEnd[q]
          for (; p !== -1 && next[p * PITCHES + c] === q; p = link[p]) next[p * PITCHES + c] = clone
          link[q] = clone
          link[current] = clone
        }
      }
      last = current
    })
  }
}

/**
 * The longest run of consecutive pitches (MIDI note numbers) that `generated` shares with any one of
 * `training`; ties go to the run found first. Runs never span two training pieces.
 *
 * Each training piece is streamed through the generated piece's suffix automaton, keeping the longest
 * suffix of what was read that is still a generated substring (on a mismatch, follow suffix links to
 * shorter suffixes). Linear in the training set, so a whole corpus is checked in a fraction of a second.
 */
export function longestCopiedRun(
  generated: readonly number[],
  training: readonly (readonly number[] | Uint8Array)[],
): CopiedRun {
  const { next, link, len, firstEnd } = new SuffixAutomaton(generated)
  let best: CopiedRun = { length: 0, trainingIndex: -1, trainingStart: -1, generatedStart: -1 }
  training.forEach((sequence, trainingIndex) => {
    let state = 0
    let matched = 0
    sequence.forEach((pitch, t) => {
      while (state !== 0 && next[state * PITCHES + pitch] === -1) {
        state = link[state]
        matched = len[state]
      }
      if (next[state * PITCHES + pitch] === -1) return // not in the generated piece at all
      state = next[state * PITCHES + pitch]
      matched++
      if (matched > best.length) {
        // Every string of a state ends where its first occurrence ends, the matched suffix included.
        best = {
          length: matched,
          trainingIndex,
          trainingStart: t - matched + 1,
          generatedStart: firstEnd[state] - matched + 1,
        }
      }
    })
  })
  return best
}
