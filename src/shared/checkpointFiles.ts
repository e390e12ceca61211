// Runs anywhere. The layout of a checkpoint folder and the checks its files must pass before anything is
// made of them: checkpoint.json against its schema, and every weights manifest against the size of its .bin
// file. The engine runs them before it loads a checkpoint, main before a folder or an archive enters the
// checkpoint library; each reads the files its own way (a `CheckpointSource`).
//
// Layout of a checkpoint folder:
//   checkpoint.json                                  CheckpointMeta, pretty-printed
//   generator.weights.json + generator.weights.bin   always
//   discriminator.weights.json + .bin                kind 'training' only
//   optimizer.weights.json + .bin                    kind 'training', when optimizer state was saved
// Each `.weights.json` is a TensorFlow.js weights manifest
// `{"weightsManifest":[{"paths":["<group>.weights.bin"],"weights":[{name,shape,dtype}...]}]}`.
import { z } from 'zod'
import {
  CHECKPOINT_FORMAT_VERSION,
  CheckpointMetaSchema,
  type CheckpointMeta,
} from '../shared/checkpointMeta'

export const META_FILE = 'checkpoint.json'
export const GROUPS = ['generator', 'discriminator', 'optimizer'] as const
export type Group = (typeof GROUPS)[number]
export const manifestFile = (group: Group) => `${group}.weights.json`
export const binFile = (group: Group) => `${group}.weights.bin`

/** Every file a checkpoint folder may hold. */
export const CHECKPOINT_FILES: ReadonlySet<string> = new Set([
  META_FILE,
  ...GROUPS.flatMap((group) => [manifestFile(group), binFile(group)]),
])

const BYTES_PER_ELEMENT = { float32: 4, int32: 4, bool: 1 } as const

/** A checkpoint's files by name, in a folder or in memory; undefined where a file is absent. */
export interface CheckpointSource {
  /** Called for the small JSON files only. */
  read(name: string): Promise<Uint8Array | undefined>
  size(name: string): Promise<number | undefined>
}

/** A checkpoint that fails the checks. The message is one line and names no folder or file of the caller's. */
export class InvalidCheckpoint extends Error {
  override name = 'InvalidCheckpoint'
}

export interface ValidCheckpoint {
  meta: CheckpointMeta
  /** The files that make up the checkpoint, checkpoint.json first; strays are not among them. */
  files: string[]
  /** The weights each group's manifest lists, for the groups present. */
  groups: Partial<Record<Group, WeightSpec[]>>
}

function parseJson(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes))
}

/** The first problem zod found, with where it is. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (issue === undefined) return 'invalid'
  const where = issue.path.map(String).join('.')
  return where === '' ? issue.message : `${where}: ${issue.message}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** checkpoint.json's content, checked; throws InvalidCheckpoint. */
export function parseCheckpointMeta(bytes: Uint8Array | undefined): CheckpointMeta {
  if (bytes === undefined) throw new InvalidCheckpoint(`not a Cadenza checkpoint (no ${META_FILE})`)
  let json: unknown
  try {
    json = parseJson(bytes)
  } catch {
    throw new InvalidCheckpoint(`damaged (${META_FILE} is not valid JSON)`)
  }
  if (!isPlainObject(json) || json.format !== 'cadenza-checkpoint') {
    throw new InvalidCheckpoint(
      `not a Cadenza checkpoint (${META_FILE} has no "format": "cadenza-checkpoint")`,
    )
  }
  // Before the schema: a newer format may differ anywhere, and "update Cadenza" is the useful answer.
  if (typeof json.formatVersion === 'number' && json.formatVersion > CHECKPOINT_FORMAT_VERSION) {
    throw new InvalidCheckpoint(
      `made by a newer Cadenza (format ${json.formatVersion}; this version reads format ${CHECKPOINT_FORMAT_VERSION})`,
    )
  }
  const parsed = CheckpointMetaSchema.safeParse(json)
  if (!parsed.success) throw new InvalidCheckpoint(`not a Cadenza checkpoint (${firstIssue(parsed.error)})`)
  return parsed.data
}

const ManifestSchema = z.object({
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string()),
        weights: z.array(
          z.object({
            name: z.string().min(1),
            shape: z.array(z.number().int().min(0)),
            dtype: z.enum(['float32', 'int32', 'bool']),
            group: z.enum(['model', 'optimizer']).optional(),
            // Cadenza never quantizes, and the byte count below assumes it did not.
            quantization: z.never().optional(),
          }),
        ),
      }),
    )
    .length(1),
})

export type WeightSpec = z.infer<typeof ManifestSchema>['weightsManifest'][number]['weights'][number]

/** The group's weights as its manifest lists them, undefined where the group is absent; throws where it is present but does not add up. */
async function checkGroup(source: CheckpointSource, group: Group): Promise<WeightSpec[] | undefined> {
  const [manifest, manifestBytes] = [manifestFile(group), await source.read(manifestFile(group))]
  const [bin, binSize] = [binFile(group), await source.size(binFile(group))]
  if (manifestBytes === undefined && binSize === undefined) return undefined
  if (manifestBytes === undefined) throw new InvalidCheckpoint(`damaged (${manifest} is missing)`)
  if (binSize === undefined) throw new InvalidCheckpoint(`damaged (${bin} is missing)`)
  let json: unknown
  try {
    json = parseJson(manifestBytes)
  } catch {
    throw new InvalidCheckpoint(`damaged (${manifest} is not valid JSON)`)
  }
  const parsed = ManifestSchema.safeParse(json)
  if (!parsed.success) throw new InvalidCheckpoint(`damaged (${manifest}: ${firstIssue(parsed.error)})`)
  const [entry] = parsed.data.weightsManifest
  // The data file is fixed by the layout; a path taken from the manifest could point anywhere.
  if (entry.paths.length !== 1 || entry.paths[0] !== bin) {
    throw new InvalidCheckpoint(`damaged (${manifest} must name exactly ${bin})`)
  }
  const names = new Set<string>()
  let needed = 0
  for (const spec of entry.weights) {
    if (names.has(spec.name)) throw new InvalidCheckpoint(`damaged (${manifest} names "${spec.name}" twice)`)
    names.add(spec.name)
    needed += spec.shape.reduce((size, dimension) => size * dimension, 1) * BYTES_PER_ELEMENT[spec.dtype]
  }
  if (binSize !== needed) {
    throw new InvalidCheckpoint(`damaged (${bin} is ${binSize} bytes, the manifest needs ${needed})`)
  }
  return entry.weights
}

/** Checks a checkpoint's files; throws InvalidCheckpoint, or the source's own error where it cannot read. */
export async function validateCheckpoint(source: CheckpointSource): Promise<ValidCheckpoint> {
  const meta = parseCheckpointMeta(await source.read(META_FILE))
  const files = [META_FILE]
  const groups: ValidCheckpoint['groups'] = {}
  // A generator-only checkpoint's stray D or optimizer files are not part of it.
  for (const group of meta.kind === 'training' ? GROUPS : (['generator'] as const)) {
    const specs = await checkGroup(source, group)
    if (specs) {
      groups[group] = specs
      files.push(manifestFile(group), binFile(group))
    } else if (group !== 'optimizer')
      throw new InvalidCheckpoint(`damaged (${manifestFile(group)} is missing)`)
  }
  return { meta, files, groups }
}
