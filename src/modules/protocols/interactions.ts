/**
 * Interaction checker behind `POST /protocols/interaction-check` (contract: in
 * `{ substances, medications? }`, names matched case-insensitively and by common brand names;
 * out `{ interactions: [{ substance, agent, severity, note }] }`).
 * Pure functions over seeded tables: no NestJS, no database, no I/O.
 *
 * ┌──────────────────────────────────────────────────────────────────────────────────────────┐
 * │ ILLUSTRATIVE REFERENCE DATA — NOT CLINICAL ADVICE.                                       │
 * │ The table below is a small seeded example for the product, compiled from the cited      │
 * │ literature for demonstration. It is neither complete nor reviewed by a pharmacist; the   │
 * │ absence of a row never means a combination is safe.                                      │
 * └──────────────────────────────────────────────────────────────────────────────────────────┘
 */

/** Most severe first: the output is sorted in this order. */
export const INTERACTION_SEVERITIES = ['contraindicated', 'major', 'moderate', 'minor'] as const;
export type InteractionSeverity = (typeof INTERACTION_SEVERITIES)[number];

export const INTERACTION_DISCLAIMER =
  'ILLUSTRATIVE REFERENCE DATA, not clinical advice: a small seeded example table, neither ' +
  'complete nor pharmacist-reviewed; no listed interaction does not mean a combination is safe.';

export interface InteractionRule {
  /** The psychedelic / treatment substance (canonical, lower case). */
  readonly substance: string;
  /** The interacting drug (canonical generic name, lower case). */
  readonly agent: string;
  readonly severity: InteractionSeverity;
  /** Always starts with the ILLUSTRATIVE REFERENCE DATA label. */
  readonly note: string;
  /** Short citation of where the concern comes from. */
  readonly source: string;
}

// Citations shared by several rows.
const KOENIG_HILBER_2015 =
  'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation)';
const CREDIBLEMEDS_QT = 'CredibleMeds QTdrugs list: known risk of torsades de pointes';
const GITA_2015 = 'Global Ibogaine Therapy Alliance 2015: clinical guidelines for ibogaine';
const GLUE_2015 = 'Glue et al. 2015, J Clin Pharmacol: CYP2D6 and ibogaine (paroxetine)';
const VUORI_2003 = 'Vuori et al. 2003, Addiction: fatal MDMA + moclobemide serotonin toxicity';
const FDA_MDMA_2024 = 'FDA MDMA-AT advisory committee briefing 2024';
const LIECHTI_2000 =
  'Liechti et al. 2000, Neuropsychopharmacology: citalopram attenuates MDMA effects';
const FARRE_2007 = 'Farré et al. 2007, J Pharmacol Exp Ther: MDMA + paroxetine';
const NAYAK_2021 =
  'Nayak et al. 2021, Pharmacopsychiatry: classic psychedelic + lithium seizure reports';
const BECKER_2022 = 'Becker et al. 2022, Clin Pharmacol Ther: psilocybin after escitalopram';
const ANAND_2000 = 'Anand et al. 2000, Arch Gen Psychiatry: lamotrigine attenuates ketamine';
const ANDRASHKO_2020 =
  'Andrashko et al. 2020, Front Psychiatry: benzodiazepines dampen ketamine response';

const IBOGAINE_QT_NOTE =
  'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; ' +
  'adding another QT-prolonging drug raises the risk of torsades de pointes.';
const MAOI_MDMA_NOTE =
  'ILLUSTRATIVE REFERENCE DATA, not clinical advice. MAO inhibition with an MDMA-driven ' +
  'serotonin release: risk of serotonin syndrome and hypertensive crisis (fatalities reported).';
const SSRI_MDMA_NOTE =
  'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects and ' +
  'the combination is serotonergic; trials tapered SSRIs before MDMA sessions.';
const SSRI_CYP2D6_MDMA_NOTE =
  'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects; as a ' +
  'strong CYP2D6 inhibitor it also raises MDMA levels; serotonergic combination.';
const LITHIUM_PSYCHEDELIC_NOTE =
  'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Seizures reported in a large share of ' +
  'classic psychedelic experiences taken with lithium.';
const BENZODIAZEPINE_KETAMINE_NOTE =
  'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Concomitant benzodiazepines are ' +
  'associated with a weaker antidepressant response to ketamine, and add sedation.';

/**
 * The seeded contraindication table. ILLUSTRATIVE REFERENCE DATA, not clinical advice (see the
 * banner above). One row per pair; a pair is matched in either direction.
 */
export const INTERACTION_TABLE = [
  // --- ibogaine: opioid-substitution drugs -----------------------------------------------------
  {
    substance: 'ibogaine',
    agent: 'buprenorphine',
    severity: 'contraindicated',
    note:
      'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine potentiates opioids; the ' +
      'long-acting partial agonist buprenorphine complicates ibogaine detoxification, so ' +
      'protocols transition patients to short-acting opioids first.',
    source: GITA_2015,
  },
  {
    substance: 'ibogaine',
    agent: 'methadone',
    severity: 'contraindicated',
    note:
      'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Methadone is long-acting and itself ' +
      'QT-prolonging: opioid potentiation plus additive QT prolongation.',
    source: `${GITA_2015}; ${KOENIG_HILBER_2015}; ${CREDIBLEMEDS_QT}`,
  },
  // --- ibogaine: QT-prolonging drugs (CredibleMeds "known risk"), one row each ------------------
  ...(
    [
      'ondansetron',
      'citalopram',
      'escitalopram',
      'haloperidol',
      'amiodarone',
      'azithromycin',
      'sotalol',
    ] as const
  ).map((agent) => ({
    substance: 'ibogaine' as const,
    agent,
    severity: 'contraindicated' as const,
    note: IBOGAINE_QT_NOTE,
    source: `${KOENIG_HILBER_2015}; ${CREDIBLEMEDS_QT}`,
  })),
  // --- ibogaine: strong CYP2D6 inhibitors ------------------------------------------------------
  ...(['paroxetine', 'fluoxetine'] as const).map((agent) => ({
    substance: 'ibogaine' as const,
    agent,
    severity: 'major' as const,
    note:
      'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Strong CYP2D6 inhibition raises ' +
      'ibogaine exposure, and with it the QT risk.',
    source: GLUE_2015,
  })),
  // --- MDMA: MAO inhibitors --------------------------------------------------------------------
  ...(['phenelzine', 'tranylcypromine', 'isocarboxazid', 'selegiline', 'moclobemide'] as const).map(
    (agent) => ({
      substance: 'mdma' as const,
      agent,
      severity: 'contraindicated' as const,
      note: MAOI_MDMA_NOTE,
      source: `${VUORI_2003}; ${FDA_MDMA_2024}`,
    }),
  ),
  // --- MDMA: SSRIs -----------------------------------------------------------------------------
  ...(['sertraline', 'citalopram', 'escitalopram', 'fluvoxamine'] as const).map((agent) => ({
    substance: 'mdma' as const,
    agent,
    severity: 'major' as const,
    note: SSRI_MDMA_NOTE,
    source: `${LIECHTI_2000}; ${FDA_MDMA_2024}`,
  })),
  ...(['paroxetine', 'fluoxetine'] as const).map((agent) => ({
    substance: 'mdma' as const,
    agent,
    severity: 'major' as const,
    note: SSRI_CYP2D6_MDMA_NOTE,
    source: `${FARRE_2007}; ${FDA_MDMA_2024}`,
  })),
  // --- classic psychedelics: lithium -----------------------------------------------------------
  {
    substance: 'psilocybin',
    agent: 'lithium',
    severity: 'contraindicated',
    note: LITHIUM_PSYCHEDELIC_NOTE,
    source: NAYAK_2021,
  },
  {
    substance: 'lsd',
    agent: 'lithium',
    severity: 'contraindicated',
    note: LITHIUM_PSYCHEDELIC_NOTE,
    source: NAYAK_2021,
  },
  {
    substance: 'psilocybin',
    agent: 'escitalopram',
    severity: 'minor',
    note:
      'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Escitalopram pretreatment reduced ' +
      'some negative psilocybin effects without clearly reducing positive ones.',
    source: BECKER_2022,
  },
  // --- ketamine --------------------------------------------------------------------------------
  {
    substance: 'ketamine',
    agent: 'lamotrigine',
    severity: 'moderate',
    note:
      'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Lamotrigine reduces glutamate ' +
      'release and attenuated ketamine effects.',
    source: ANAND_2000,
  },
  ...(['lorazepam', 'alprazolam', 'clonazepam', 'diazepam'] as const).map((agent) => ({
    substance: 'ketamine' as const,
    agent,
    severity: 'moderate' as const,
    note: BENZODIAZEPINE_KETAMINE_NOTE,
    source: ANDRASHKO_2020,
  })),
] as const satisfies readonly InteractionRule[];

type TableRow = (typeof INTERACTION_TABLE)[number];
/** Every canonical name the table knows, as a type: synonyms may only point at these. */
export type KnownAgent = TableRow['substance'] | TableRow['agent'];

/**
 * Brand names and synonyms → canonical generic name. Keys are lower case with single spaces,
 * as `normalizeAgent` compares them.
 */
export const AGENT_SYNONYMS = {
  // buprenorphine
  suboxone: 'buprenorphine',
  subutex: 'buprenorphine',
  sublocade: 'buprenorphine',
  zubsolv: 'buprenorphine',
  butrans: 'buprenorphine',
  belbuca: 'buprenorphine',
  // methadone
  dolophine: 'methadone',
  methadose: 'methadone',
  // SSRIs
  prozac: 'fluoxetine',
  sarafem: 'fluoxetine',
  zoloft: 'sertraline',
  paxil: 'paroxetine',
  seroxat: 'paroxetine',
  celexa: 'citalopram',
  cipramil: 'citalopram',
  lexapro: 'escitalopram',
  cipralex: 'escitalopram',
  luvox: 'fluvoxamine',
  // MAOIs
  nardil: 'phenelzine',
  parnate: 'tranylcypromine',
  marplan: 'isocarboxazid',
  emsam: 'selegiline',
  eldepryl: 'selegiline',
  zelapar: 'selegiline',
  manerix: 'moclobemide',
  aurorix: 'moclobemide',
  // lithium (salts and brands)
  lithobid: 'lithium',
  eskalith: 'lithium',
  'lithium carbonate': 'lithium',
  'lithium citrate': 'lithium',
  // QT-prolonging drugs
  zofran: 'ondansetron',
  haldol: 'haloperidol',
  cordarone: 'amiodarone',
  pacerone: 'amiodarone',
  zithromax: 'azithromycin',
  betapace: 'sotalol',
  // anticonvulsants and benzodiazepines
  lamictal: 'lamotrigine',
  ativan: 'lorazepam',
  xanax: 'alprazolam',
  klonopin: 'clonazepam',
  rivotril: 'clonazepam',
  valium: 'diazepam',
  // ibogaine preparations
  'ibogaine hcl': 'ibogaine',
  'ibogaine hydrochloride': 'ibogaine',
  tpa: 'ibogaine',
  'total plant alkaloids': 'ibogaine',
  iboga: 'ibogaine',
  // MDMA
  molly: 'mdma',
  ecstasy: 'mdma',
  midomafetamine: 'mdma',
  // psilocybin (psilocin is its active metabolite)
  'magic mushrooms': 'psilocybin',
  'psilocybin mushrooms': 'psilocybin',
  psilocin: 'psilocybin',
  // LSD
  lysergide: 'lsd',
  'lsd-25': 'lsd',
  // ketamine. Esketamine (Spravato) is ketamine's S-enantiomer; its interactions are taken to
  // be ketamine's, which is what the ketamine rows describe.
  spravato: 'ketamine',
  esketamine: 'ketamine',
  ketalar: 'ketamine',
} as const satisfies Readonly<Record<string, KnownAgent>>;

const SYNONYM_LOOKUP: ReadonlyMap<string, KnownAgent> = new Map(Object.entries(AGENT_SYNONYMS));

const KNOWN_AGENTS: ReadonlySet<string> = new Set(
  INTERACTION_TABLE.flatMap((row) => [row.substance, row.agent]),
);

/** Rules by "substance|agent"; a pair is looked up in both orders. */
const RULES_BY_PAIR: ReadonlyMap<string, InteractionRule> = new Map(
  INTERACTION_TABLE.map((row) => [pairKey(row.substance, row.agent), row]),
);

function pairKey(first: string, second: string): string {
  return `${first}|${second}`;
}

/** Lower case, trimmed, inner whitespace collapsed, trademark signs dropped. */
function cleanName(name: string): string {
  return name.replace(/[®™]/g, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The canonical (generic, lower-case) name for a drug or substance name as typed: brand names
 * and synonyms map to their generic; anything else comes back cleaned (lower case, trimmed).
 * E.g. ' Suboxone ' → 'buprenorphine', 'MDMA' → 'mdma', 'Ibuprofen' → 'ibuprofen'.
 */
export function normalizeAgent(name: string): string {
  const cleaned = cleanName(name);
  return SYNONYM_LOOKUP.get(cleaned) ?? cleaned;
}

export interface InteractionCheckInput {
  readonly substances: readonly string[];
  readonly medications?: readonly string[];
}

export interface FoundInteraction {
  /** Canonical name of the table row's substance. */
  readonly substance: string;
  /** Canonical name of the table row's agent. */
  readonly agent: string;
  readonly severity: InteractionSeverity;
  readonly note: string;
  readonly source: string;
  /**
   * The names as typed, for a side whose input was a brand name or synonym (e.g.
   * `{ agent: 'Suboxone' }`); absent when both were typed as the canonical names. When several
   * inputs map to the same canonical name, the first one given is reported.
   */
  readonly matchedAs?: { readonly substance?: string; readonly agent?: string };
}

export interface InteractionCheckResult {
  /** Most severe first, then by substance and agent name. */
  readonly interactions: readonly FoundInteraction[];
  /**
   * Input names (as typed) the table does not know at all. No interaction found for them means
   * only that: nothing is known here, not that they are safe.
   */
  readonly unrecognized: readonly string[];
  readonly disclaimer: string;
}

interface NamedInput {
  readonly typed: string;
  readonly canonical: string;
}

function toNamedInputs(names: readonly string[]): NamedInput[] {
  return names
    .filter((typed) => cleanName(typed) !== '')
    .map((typed) => ({ typed, canonical: normalizeAgent(typed) }));
}

/** Only report the typed name when a synonym, not mere case or spacing, changed it. */
function typedNameIfAliased(input: NamedInput): string | undefined {
  return cleanName(input.typed) === input.canonical ? undefined : input.typed;
}

function matchRule(
  first: NamedInput,
  second: NamedInput,
): { rule: InteractionRule; substanceInput: NamedInput; agentInput: NamedInput } | undefined {
  const forward = RULES_BY_PAIR.get(pairKey(first.canonical, second.canonical));
  if (forward !== undefined) return { rule: forward, substanceInput: first, agentInput: second };
  const backward = RULES_BY_PAIR.get(pairKey(second.canonical, first.canonical));
  if (backward !== undefined) return { rule: backward, substanceInput: second, agentInput: first };
  return undefined;
}

const SEVERITY_RANK: Readonly<Record<InteractionSeverity, number>> = {
  contraindicated: 0,
  major: 1,
  moderate: 2,
  minor: 3,
};

/**
 * Checks every substance against every other substance and every medication (medications are
 * not checked against each other: the table is about the treatment substances). Each table row
 * is reported at most once, whatever number of inputs map onto it.
 */
export function checkInteractions(input: InteractionCheckInput): InteractionCheckResult {
  const substances = toNamedInputs(input.substances);
  const medications = toNamedInputs(input.medications ?? []);

  const pairs: [NamedInput, NamedInput][] = [];
  substances.forEach((substance, index) => {
    for (const other of substances.slice(index + 1)) pairs.push([substance, other]);
    for (const medication of medications) pairs.push([substance, medication]);
  });

  const found = new Map<string, FoundInteraction>();
  for (const [first, second] of pairs) {
    const match = matchRule(first, second);
    if (match === undefined) continue;
    const { rule, substanceInput, agentInput } = match;
    const key = pairKey(rule.substance, rule.agent);
    if (found.has(key)) continue;

    const substanceTyped = typedNameIfAliased(substanceInput);
    const agentTyped = typedNameIfAliased(agentInput);
    found.set(key, {
      substance: rule.substance,
      agent: rule.agent,
      severity: rule.severity,
      note: rule.note,
      source: rule.source,
      ...(substanceTyped !== undefined || agentTyped !== undefined
        ? {
            matchedAs: {
              ...(substanceTyped !== undefined ? { substance: substanceTyped } : {}),
              ...(agentTyped !== undefined ? { agent: agentTyped } : {}),
            },
          }
        : {}),
    });
  }

  const interactions = [...found.values()].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareText(a.substance, b.substance) ||
      compareText(a.agent, b.agent),
  );

  // One entry per unknown canonical name, as first typed.
  const unrecognizedByCanonical = new Map<string, string>();
  for (const named of [...substances, ...medications]) {
    if (!KNOWN_AGENTS.has(named.canonical) && !unrecognizedByCanonical.has(named.canonical)) {
      unrecognizedByCanonical.set(named.canonical, named.typed.trim());
    }
  }
  const unrecognized = [...unrecognizedByCanonical.values()];

  return { interactions, unrecognized, disclaimer: INTERACTION_DISCLAIMER };
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
