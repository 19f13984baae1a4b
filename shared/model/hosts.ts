/**
 * Adding, duplicating and removing hosts: an episode has 2 to 4, each with a unique id and name.
 */
import type { Persona } from './episode';

export const MIN_HOSTS = 2;
export const MAX_HOSTS = 4;

const COLORS = ['#4fb3ff', '#ffb347', '#7ee787', '#d2a8ff', '#ff7b72', '#56d4dd'];
const NAMES = ['Nova', 'Rafe', 'Iris', 'Otto', 'Wren', 'Juno'];

function unique(base: string, taken: (s: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base} ${n}`)) return `${base} ${n}`;
}

function freshId(personas: readonly Persona[], base: string): string {
  const ids = new Set(personas.map((p) => p.id));
  return unique(base, (s) => ids.has(s)).replace(/\s+/g, '-');
}

function freshColor(personas: readonly Persona[]): string {
  return (
    COLORS.find((c) => !personas.some((p) => p.color.toLowerCase() === c)) ??
    COLORS[personas.length % COLORS.length]
  );
}

function nameTaken(personas: readonly Persona[]): (s: string) => boolean {
  return (s) => personas.some((p) => p.name.trim().toLowerCase() === s.toLowerCase());
}

/** A new host (voice taken from the first host), or an error when there are already four. */
export function addHost(personas: readonly Persona[]): Persona[] | { error: string } {
  if (personas.length >= MAX_HOSTS) return { error: `An episode has at most ${MAX_HOSTS} hosts.` };
  const name = NAMES.find((n) => !nameTaken(personas)(n)) ?? unique('Host', nameTaken(personas));
  const template = personas[0];
  const host: Persona = {
    id: freshId(personas, `host-${name.toLowerCase()}`),
    name,
    role: 'Guest host',
    voice: template ? { ...template.voice } : { engine: 'espeak', voice: 'en-us+m1', rate: 165, pitch: 50 },
    color: freshColor(personas),
  };
  return [...personas, host];
}

/** A copy of host `id` with a new id, name ("Maya 2") and colour, placed after it. */
export function duplicateHost(personas: readonly Persona[], id: string): Persona[] | { error: string } {
  if (personas.length >= MAX_HOSTS) return { error: `An episode has at most ${MAX_HOSTS} hosts.` };
  const i = personas.findIndex((p) => p.id === id);
  if (i < 0) return { error: 'No such host.' };
  const src = personas[i];
  const copy: Persona = {
    ...structuredClone(src),
    id: freshId(personas, `${src.id}-copy`),
    name: unique(src.name, nameTaken(personas)),
    color: freshColor(personas),
  };
  return [...personas.slice(0, i + 1), copy, ...personas.slice(i + 1)];
}

/** Removes host `id`, keeping at least two. */
export function removeHost(personas: readonly Persona[], id: string): Persona[] | { error: string } {
  if (personas.length <= MIN_HOSTS) return { error: `An episode needs at least ${MIN_HOSTS} hosts.` };
  if (!personas.some((p) => p.id === id)) return { error: 'No such host.' };
  return personas.filter((p) => p.id !== id);
}
