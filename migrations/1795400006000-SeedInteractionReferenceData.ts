import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seeds the interaction checker's reference tables (`contraindications`, `drug_synonyms`)
 * behind `POST /protocols/interaction-check`.
 *
 * ILLUSTRATIVE REFERENCE DATA — NOT CLINICAL ADVICE. A small example table compiled from the
 * cited literature for demonstration (a frozen copy of src/modules/protocols/interactions.ts at
 * the time of writing): neither complete nor pharmacist-reviewed; the absence of a row never
 * means a combination is safe. Every note starts with that label, and `source` says so too.
 *
 * Data lives here literally (not imported from src/) so that this migration means the same
 * thing forever; later changes to the table ship as new migrations.
 */
const ILLUSTRATIVE = 'ILLUSTRATIVE REFERENCE DATA (not clinical advice)';

const CONTRAINDICATIONS: readonly [
  substance: string,
  agent: string,
  severity: string,
  note: string,
  source: string,
][] = [
  [
    'ibogaine',
    'buprenorphine',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine potentiates opioids; the long-acting partial agonist buprenorphine complicates ibogaine detoxification, so protocols transition patients to short-acting opioids first.',
    'Global Ibogaine Therapy Alliance 2015: clinical guidelines for ibogaine',
  ],
  [
    'ibogaine',
    'methadone',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Methadone is long-acting and itself QT-prolonging: opioid potentiation plus additive QT prolongation.',
    'Global Ibogaine Therapy Alliance 2015: clinical guidelines for ibogaine; Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'ondansetron',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; adding another QT-prolonging drug raises the risk of torsades de pointes.',
    'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'citalopram',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; adding another QT-prolonging drug raises the risk of torsades de pointes.',
    'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'escitalopram',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; adding another QT-prolonging drug raises the risk of torsades de pointes.',
    'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'haloperidol',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; adding another QT-prolonging drug raises the risk of torsades de pointes.',
    'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'amiodarone',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; adding another QT-prolonging drug raises the risk of torsades de pointes.',
    'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'azithromycin',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; adding another QT-prolonging drug raises the risk of torsades de pointes.',
    'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'sotalol',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Ibogaine prolongs the QT interval; adding another QT-prolonging drug raises the risk of torsades de pointes.',
    'Koenig & Hilber 2015, Molecules: ibogaine and the heart (hERG block, QT prolongation); CredibleMeds QTdrugs list: known risk of torsades de pointes',
  ],
  [
    'ibogaine',
    'paroxetine',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Strong CYP2D6 inhibition raises ibogaine exposure, and with it the QT risk.',
    'Glue et al. 2015, J Clin Pharmacol: CYP2D6 and ibogaine (paroxetine)',
  ],
  [
    'ibogaine',
    'fluoxetine',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Strong CYP2D6 inhibition raises ibogaine exposure, and with it the QT risk.',
    'Glue et al. 2015, J Clin Pharmacol: CYP2D6 and ibogaine (paroxetine)',
  ],
  [
    'mdma',
    'phenelzine',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. MAO inhibition with an MDMA-driven serotonin release: risk of serotonin syndrome and hypertensive crisis (fatalities reported).',
    'Vuori et al. 2003, Addiction: fatal MDMA + moclobemide serotonin toxicity; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'tranylcypromine',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. MAO inhibition with an MDMA-driven serotonin release: risk of serotonin syndrome and hypertensive crisis (fatalities reported).',
    'Vuori et al. 2003, Addiction: fatal MDMA + moclobemide serotonin toxicity; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'isocarboxazid',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. MAO inhibition with an MDMA-driven serotonin release: risk of serotonin syndrome and hypertensive crisis (fatalities reported).',
    'Vuori et al. 2003, Addiction: fatal MDMA + moclobemide serotonin toxicity; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'selegiline',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. MAO inhibition with an MDMA-driven serotonin release: risk of serotonin syndrome and hypertensive crisis (fatalities reported).',
    'Vuori et al. 2003, Addiction: fatal MDMA + moclobemide serotonin toxicity; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'moclobemide',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. MAO inhibition with an MDMA-driven serotonin release: risk of serotonin syndrome and hypertensive crisis (fatalities reported).',
    'Vuori et al. 2003, Addiction: fatal MDMA + moclobemide serotonin toxicity; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'sertraline',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects and the combination is serotonergic; trials tapered SSRIs before MDMA sessions.',
    'Liechti et al. 2000, Neuropsychopharmacology: citalopram attenuates MDMA effects; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'citalopram',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects and the combination is serotonergic; trials tapered SSRIs before MDMA sessions.',
    'Liechti et al. 2000, Neuropsychopharmacology: citalopram attenuates MDMA effects; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'escitalopram',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects and the combination is serotonergic; trials tapered SSRIs before MDMA sessions.',
    'Liechti et al. 2000, Neuropsychopharmacology: citalopram attenuates MDMA effects; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'fluvoxamine',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects and the combination is serotonergic; trials tapered SSRIs before MDMA sessions.',
    'Liechti et al. 2000, Neuropsychopharmacology: citalopram attenuates MDMA effects; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'paroxetine',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects; as a strong CYP2D6 inhibitor it also raises MDMA levels; serotonergic combination.',
    'Farré et al. 2007, J Pharmacol Exp Ther: MDMA + paroxetine; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'mdma',
    'fluoxetine',
    'major',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. SERT blockade blunts MDMA effects; as a strong CYP2D6 inhibitor it also raises MDMA levels; serotonergic combination.',
    'Farré et al. 2007, J Pharmacol Exp Ther: MDMA + paroxetine; FDA MDMA-AT advisory committee briefing 2024',
  ],
  [
    'psilocybin',
    'lithium',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Seizures reported in a large share of classic psychedelic experiences taken with lithium.',
    'Nayak et al. 2021, Pharmacopsychiatry: classic psychedelic + lithium seizure reports',
  ],
  [
    'lsd',
    'lithium',
    'contraindicated',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Seizures reported in a large share of classic psychedelic experiences taken with lithium.',
    'Nayak et al. 2021, Pharmacopsychiatry: classic psychedelic + lithium seizure reports',
  ],
  [
    'psilocybin',
    'escitalopram',
    'minor',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Escitalopram pretreatment reduced some negative psilocybin effects without clearly reducing positive ones.',
    'Becker et al. 2022, Clin Pharmacol Ther: psilocybin after escitalopram',
  ],
  [
    'ketamine',
    'lamotrigine',
    'moderate',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Lamotrigine reduces glutamate release and attenuated ketamine effects.',
    'Anand et al. 2000, Arch Gen Psychiatry: lamotrigine attenuates ketamine',
  ],
  [
    'ketamine',
    'lorazepam',
    'moderate',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Concomitant benzodiazepines are associated with a weaker antidepressant response to ketamine, and add sedation.',
    'Andrashko et al. 2020, Front Psychiatry: benzodiazepines dampen ketamine response',
  ],
  [
    'ketamine',
    'alprazolam',
    'moderate',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Concomitant benzodiazepines are associated with a weaker antidepressant response to ketamine, and add sedation.',
    'Andrashko et al. 2020, Front Psychiatry: benzodiazepines dampen ketamine response',
  ],
  [
    'ketamine',
    'clonazepam',
    'moderate',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Concomitant benzodiazepines are associated with a weaker antidepressant response to ketamine, and add sedation.',
    'Andrashko et al. 2020, Front Psychiatry: benzodiazepines dampen ketamine response',
  ],
  [
    'ketamine',
    'diazepam',
    'moderate',
    'ILLUSTRATIVE REFERENCE DATA, not clinical advice. Concomitant benzodiazepines are associated with a weaker antidepressant response to ketamine, and add sedation.',
    'Andrashko et al. 2020, Front Psychiatry: benzodiazepines dampen ketamine response',
  ],
];
const SYNONYMS: readonly [name: string, canonical: string][] = [
  ['suboxone', 'buprenorphine'],
  ['subutex', 'buprenorphine'],
  ['sublocade', 'buprenorphine'],
  ['zubsolv', 'buprenorphine'],
  ['butrans', 'buprenorphine'],
  ['belbuca', 'buprenorphine'],
  ['dolophine', 'methadone'],
  ['methadose', 'methadone'],
  ['prozac', 'fluoxetine'],
  ['sarafem', 'fluoxetine'],
  ['zoloft', 'sertraline'],
  ['paxil', 'paroxetine'],
  ['seroxat', 'paroxetine'],
  ['celexa', 'citalopram'],
  ['cipramil', 'citalopram'],
  ['lexapro', 'escitalopram'],
  ['cipralex', 'escitalopram'],
  ['luvox', 'fluvoxamine'],
  ['nardil', 'phenelzine'],
  ['parnate', 'tranylcypromine'],
  ['marplan', 'isocarboxazid'],
  ['emsam', 'selegiline'],
  ['eldepryl', 'selegiline'],
  ['zelapar', 'selegiline'],
  ['manerix', 'moclobemide'],
  ['aurorix', 'moclobemide'],
  ['lithobid', 'lithium'],
  ['eskalith', 'lithium'],
  ['lithium carbonate', 'lithium'],
  ['lithium citrate', 'lithium'],
  ['zofran', 'ondansetron'],
  ['haldol', 'haloperidol'],
  ['cordarone', 'amiodarone'],
  ['pacerone', 'amiodarone'],
  ['zithromax', 'azithromycin'],
  ['betapace', 'sotalol'],
  ['lamictal', 'lamotrigine'],
  ['ativan', 'lorazepam'],
  ['xanax', 'alprazolam'],
  ['klonopin', 'clonazepam'],
  ['rivotril', 'clonazepam'],
  ['valium', 'diazepam'],
  ['ibogaine hcl', 'ibogaine'],
  ['ibogaine hydrochloride', 'ibogaine'],
  ['tpa', 'ibogaine'],
  ['total plant alkaloids', 'ibogaine'],
  ['iboga', 'ibogaine'],
  ['molly', 'mdma'],
  ['ecstasy', 'mdma'],
  ['midomafetamine', 'mdma'],
  ['magic mushrooms', 'psilocybin'],
  ['psilocybin mushrooms', 'psilocybin'],
  ['psilocin', 'psilocybin'],
  ['lysergide', 'lsd'],
  ['lsd-25', 'lsd'],
  ['spravato', 'ketamine'],
  ['esketamine', 'ketamine'],
  ['ketalar', 'ketamine'],
];

const MIGRATION = 'SeedInteractionReferenceData1795400006000';

export class SeedInteractionReferenceData1795400006000 implements MigrationInterface {
  name = MIGRATION;

  /** Rows it actually inserted go to `migration_changes`, so `down` removes exactly those. */
  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `WITH inserted AS (
         INSERT INTO contraindications (substance, agent, severity, note, source)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (substance, agent) DO NOTHING
         RETURNING substance, agent
       )
       INSERT INTO migration_changes (migration, table_name, row_key)
       SELECT $6, 'contraindications', substance || '|' || agent FROM inserted
       ON CONFLICT DO NOTHING`,
      [
        CONTRAINDICATIONS.map((r) => r[0]),
        CONTRAINDICATIONS.map((r) => r[1]),
        CONTRAINDICATIONS.map((r) => r[2]),
        CONTRAINDICATIONS.map((r) => r[3]),
        CONTRAINDICATIONS.map((r) => `${ILLUSTRATIVE}: ${r[4]}`),
        MIGRATION,
      ],
    );
    await q.query(
      `WITH inserted AS (
         INSERT INTO drug_synonyms (name, canonical)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (name) DO NOTHING
         RETURNING name
       )
       INSERT INTO migration_changes (migration, table_name, row_key)
       SELECT $3, 'drug_synonyms', name FROM inserted
       ON CONFLICT DO NOTHING`,
      [SYNONYMS.map((s) => s[0]), SYNONYMS.map((s) => s[1]), MIGRATION],
    );
    await q.query(
      `COMMENT ON TABLE contraindications IS '${ILLUSTRATIVE}: seeded example interaction table, not complete, not pharmacist-reviewed'`,
    );
    await q.query(
      `COMMENT ON TABLE drug_synonyms IS 'Brand names and synonyms to canonical generic names, for the illustrative interaction table'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM contraindications t USING migration_changes c
        WHERE c.migration = $1 AND c.table_name = 'contraindications' AND c.row_key = t.substance || '|' || t.agent`,
      [MIGRATION],
    );
    await q.query(
      `DELETE FROM drug_synonyms t USING migration_changes c
        WHERE c.migration = $1 AND c.table_name = 'drug_synonyms' AND c.row_key = t.name`,
      [MIGRATION],
    );
    await q.query(`DELETE FROM migration_changes WHERE migration = $1`, [MIGRATION]);
    await q.query(`COMMENT ON TABLE contraindications IS NULL`);
    await q.query(`COMMENT ON TABLE drug_synonyms IS NULL`);
  }
}
