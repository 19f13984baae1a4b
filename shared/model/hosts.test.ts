import { describe, expect, it } from 'vitest';
import { PersonaSchema, type Persona } from './episode';
import { addHost, duplicateHost, removeHost } from './hosts';

const two: Persona[] = [
  {
    id: 'a',
    name: 'Maya',
    role: 'lead',
    voice: { engine: 'espeak', voice: 'en-us+f3', rate: 165, pitch: 55 },
    color: '#4fb3ff',
  },
  {
    id: 'b',
    name: 'Theo',
    role: 'co',
    voice: { engine: 'espeak', voice: 'en-us+m3', rate: 160, pitch: 40 },
    color: '#ffb347',
  },
];

function ok(r: Persona[] | { error: string }): Persona[] {
  if (!Array.isArray(r)) throw new Error(r.error);
  return r;
}

describe('hosts', () => {
  it('adds valid hosts with unique ids, names and colours up to four', () => {
    const three = ok(addHost(two));
    const four = ok(addHost(three));
    expect(four).toHaveLength(4);
    for (const p of four) expect(PersonaSchema.safeParse(p).success).toBe(true);
    expect(new Set(four.map((p) => p.id)).size).toBe(4);
    expect(new Set(four.map((p) => p.name)).size).toBe(4);
    expect(new Set(four.map((p) => p.color)).size).toBe(4);
    expect(addHost(four)).toEqual({ error: expect.stringMatching(/at most 4/) });
  });

  it('duplicates a host after itself with a new name, and keeps its voice', () => {
    const three = ok(duplicateHost(two, 'a'));
    expect(three.map((p) => p.name)).toEqual(['Maya', 'Maya 2', 'Theo']);
    expect(three[1].voice).toEqual(two[0].voice);
    expect(three[1].id).not.toBe('a');
  });

  it('never goes below two hosts', () => {
    expect(removeHost(two, 'a')).toEqual({ error: expect.stringMatching(/at least 2/) });
    expect(ok(removeHost(ok(addHost(two)), 'a')).map((p) => p.name)).toEqual(['Theo', 'Nova']);
  });
});
