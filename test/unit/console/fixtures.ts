/** Notifications as the processor writes them (schema v2), for the console's pure tests. */
export function signaal(over: {
  id?: string;
  subject?: string;
  time?: string;
  gemeente?: string;
  naam?: string;
  beoordeling?: string;
  status?: string;
  categorie?: string;
  aanbieder?: string;
  regel?: string;
  besluit?: { door: string; toelichting?: string };
}): string {
  return JSON.stringify({
    specversion: '1.0',
    id: over.id ?? 'sl-00000000000000000000000000000001',
    source: 'urn:samenloop:processor',
    type: 'nl.samenloop.signaal',
    subject: over.subject ?? 'wmo-toewijzing/9999/9001',
    time: over.time ?? '2026-11-20T10:00:00.000Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:samenloop:schema:notification:2',
    data: {
      gemeente: over.gemeente ?? '9999',
      client: { bsn: '999990019', naam: over.naam ?? 'M Jansen', geboortedatum: '1938-04-02' },
      wlz: {
        afgiftedatum: '2026-11-16',
        ingangsdatum: '2026-11-16',
        einddatum: null,
        woonsituatie: 'instelling',
        zorgtoewijzingIngangsdatum: '2026-12-07',
      },
      wmo: {
        soort: 'toewijzing',
        toewijzingnummer: '9001',
        aanvraagId: null,
        productcategorie: over.categorie ?? '01',
        productcode: '01A01',
        aanbieder: over.aanbieder ?? '99000001',
        ingangsdatum: '2026-07-26',
        einddatum: null,
      },
      beoordeling: over.beoordeling ?? 'wlz-voorliggend',
      regel: { id: over.regel ?? 'SL-01-VERBLIJF', omschrijving: 'x', bron: 'RH-SL' },
      ...(over.status
        ? {
            beeindiging: {
              id: 'bd-0123456789abcdef01234567',
              einddatum: '2026-12-06',
              redenWijziging: '06',
              status: over.status,
              ...(over.besluit ? { besluit: over.besluit } : {}),
            },
          }
        : {}),
    },
  });
}
