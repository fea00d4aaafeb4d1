import { describe, expect, it } from 'vitest';
import { isIsoRegion, isoRegionCodes } from './iso3166.js';
import { CONFIG_LINT } from './lint.js';
import type { IssueSink } from './path.js';
import { parseRegions, regionCovers, regionMatches } from './regions.js';
import type { RegionRule } from './types.js';

function parse(value: unknown): { rule: RegionRule | undefined; sink: IssueSink } {
  const sink: IssueSink = { errors: [], warnings: [], lint: CONFIG_LINT };
  return { rule: parseRegions(value, '$.r', sink), sink };
}

// The assigned codes as listed by Debian's iso-codes (pycountry 26.2.16), written out in full.
const ISO_3166_1_ALPHA_2 =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

describe('ISO 3166-1 codes', () => {
  it('holds the 249 assigned codes, and not reserved or invented ones', () => {
    const codes = isoRegionCodes();
    expect(codes).toHaveLength(249);
    expect(codes.join(' ')).toBe(ISO_3166_1_ALPHA_2);
    for (const c of ['UK', 'EU', 'XK', 'ZZ', 'AA', 'au', 'A', 'AUS', '']) expect(isIsoRegion(c)).toBe(false);
  });
});

describe('parseRegions', () => {
  it('normalises codes to upper case and keeps their order', () => {
    expect(parse(['au', ' nz ', 'AU']).rule).toEqual({ kind: 'only', codes: ['AU', 'NZ'] });
  });

  it('reads "all" and "all-except-…" with one or several exclusions, in any case', () => {
    expect(parse(['ALL']).rule).toEqual({ kind: 'all' });
    expect(parse(['all-except-US']).rule).toEqual({ kind: 'all-except', codes: ['US'] });
    expect(parse(['All-Except-us, ca']).rule).toEqual({ kind: 'all-except', codes: ['CA', 'US'] });
    expect(parse(['all-except-US', 'all-except-CA']).rule).toEqual({
      kind: 'all-except',
      codes: ['CA', 'US'],
    });
  });

  it('lets a listed code put an excluded one back', () => {
    expect(parse(['all-except-US,CA', 'CA']).rule).toEqual({ kind: 'all-except', codes: ['US'] });
    expect(parse(['all-except-US', 'us']).rule).toEqual({ kind: 'all' });
  });

  it('warns that "all" makes other entries meaningless', () => {
    const { rule, sink } = parse(['all', 'AU']);
    expect(rule).toEqual({ kind: 'all' });
    expect(sink.warnings).toHaveLength(1);
  });

  it('accepts a single string', () => {
    expect(parse('all').rule).toEqual({ kind: 'all' });
  });

  it('reports every bad entry with its index', () => {
    const { rule, sink } = parse(['AU', 'XX', 7, 'all-except-', 'all-except-US,QQ']);
    expect(rule).toBeUndefined();
    expect(sink.errors.map((e) => e.path)).toEqual(['$.r[1]', '$.r[2]', '$.r[3]', '$.r[4]']);
  });
});

describe('regionMatches and regionCovers', () => {
  const rules: RegionRule[] = [
    { kind: 'all' },
    { kind: 'only', codes: ['AU', 'NZ'] },
    { kind: 'only', codes: ['AU', 'NZ', 'CA'] },
    { kind: 'all-except', codes: ['US'] },
    { kind: 'all-except', codes: ['US', 'CA'] },
  ];

  it('matches by membership', () => {
    expect(regionMatches(rules[1]!, 'AU')).toBe(true);
    expect(regionMatches(rules[1]!, 'US')).toBe(false);
    expect(regionMatches(rules[3]!, 'US')).toBe(false);
    expect(regionMatches(rules[3]!, 'FR')).toBe(true);
  });

  it('says whether a later stage still covers every region of an earlier one', () => {
    const [all, auNz, auNzCa, exceptUs, exceptUsCa] = rules as [
      RegionRule,
      RegionRule,
      RegionRule,
      RegionRule,
      RegionRule,
    ];
    expect(regionCovers(auNzCa, auNz)).toBe(true);
    expect(regionCovers(auNz, auNzCa)).toBe(false);
    expect(regionCovers(exceptUs, auNzCa)).toBe(true);
    expect(regionCovers(exceptUsCa, auNzCa)).toBe(false); // CA dropped
    expect(regionCovers(exceptUs, exceptUsCa)).toBe(true);
    expect(regionCovers(exceptUsCa, exceptUs)).toBe(false);
    expect(regionCovers(all, exceptUs)).toBe(true);
    expect(regionCovers(exceptUs, all)).toBe(false);
    expect(regionCovers(auNz, exceptUs)).toBe(false);
  });
});
