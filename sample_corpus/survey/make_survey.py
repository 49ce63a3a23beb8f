#!/usr/bin/env python3
"""Writes personalundersokelse_2022.xlsx: the fictional staff survey of the sample study.

    python3 sample_corpus/survey/make_survey.py

An export in the style of a Udir staff survey (personalundersøkelse) with three open questions, answered by 45
staff members (teachers, assistants, special-education teachers and school leaders) at the 19 schools of the
sample study in February 2022. Respondents in Vikøy answer in nynorsk, everyone else in bokmål. Everything is
invented. Needs openpyxl; the output is byte-for-byte reproducible (fixed dates, fixed zip timestamps).
"""
import datetime
import io
import os
import random
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "personalundersokelse_2022.xlsx")

Q1 = "Hva fungerer godt i samarbeidet med hjelpetjenestene?"
Q2 = "Hva hindrer samarbeidet?"
Q3 = "Hvordan har du vært involvert i utviklingsarbeidet?"
HEADERS = ["respondent", "school", "role", "years_at_school", "answered", Q1, Q2, Q3]

# (school, role, years at the school, answer 1, answer 2, answer 3); "" = left blank.
ANSWERS = [
    # ---- Vikøy (nynorsk)
    ("Nausthaugen skule", "lærer", 17,
     "At helsesjukepleiaren er her kvar onsdag. Eg kan stikke innom kontoret hennar i storefri i staden for å sende "
     "ein e-post og vente, og elevane veit kvar dei finn henne.",
     "PPT held til langt unna. Når dei er med på videomøte, dett lyden ut i kvar tredje setning, og det er tungt å "
     "drøfte ein elev på den måten.",
     "Var med rektor på ein dialogkonferanse i 2019. I ressursteamet sit eg ikkje, men eg har fått hjelp derifrå "
     "med to elevar i klassen min."),
    ("Nausthaugen skule", "spesialpedagog", 9,
     "Ressursteamet har faste møte éin gong i månaden, og sakene blir følgde opp frå gong til gong. Me veit kven som "
     "gjer kva. Slik var det ikkje før 2017.",
     "Ventetida på utgreiing i PPT er framleis lang når ei sak først må tilvisast. Barnevernet har dessutan skifta "
     "kontaktperson tre gonger sidan 2020.",
     "Sit i ressursteamet og skriv referata. I vår var eg med og sette opp møteplanen for neste skuleår."),
    ("Nausthaugen skule", "assistent", 4,
     "Elevane går til helsesjukepleiaren på eiga hand no. Det synest eg er fint å sjå.",
     "",
     "Visste ikkje at det var eit prosjekt før i fjor, så nei."),
    ("Straumen skule", "lærer", 21,
     "Einskilde i PPT er svært hjelpsame når ein først får tak i dei.",
     "Me hadde eit ressursteam for nokre år sidan, men det forsvann då rektor slutta. No går alt gjennom tilvising, "
     "og me ventar i månadsvis. Avstanden gjer det ikkje betre: PPT kjem hit kanskje to gonger i året.",
     "Høyrde om LOG på eit personalmøte i 2018. Det var leiinga som reiste på samlingane."),
    ("Straumen skule", "spesialpedagog", 11,
     "Helsesjukepleiaren er lett å samarbeide med, sjølv om ho berre er her annakvar veke.",
     "Ingen faste møtepunkt lenger. Nye folk i tenestene kjenner ikkje skulen vår, og rektor underviser sjølv 40 "
     "prosent, så det er lite tid att til å leie eit slikt arbeid.",
     "I ressursteamet dei to første åra. Etter 2020 har det ikkje vore noko å vere involvert i."),
    ("Kvernhus skule", "lærer", 14,
     "Rapportane frå PPT er grundige og nyttige når me først har fått ei sak inn.",
     "Ventetid, ventetid, ventetid. Tilvisinga gjekk i september, og første møte var i februar. Helsesjukepleiaren "
     "skal vere her annakvar veke, men ofte blir det ikkje noko av.",
     "Kva utviklingsarbeid er det snakk om? Alle lærarane var med på lesesatsinga for to år sidan, elles kjenner eg "
     "ikkje til noko."),
    ("Kvernhus skule", "assistent", 6,
     "Helsesjukepleiaren tek seg god tid med elevane.",
     "Me som er saman med elevane kvar dag, får sjeldan vite kva som skjer etter at ei sak er meld vidare.",
     ""),
    ("Bakkebø skule", "skoleleder", 9,
     "Kort veg mellom folk. Med 44 elevar ringjer eg helsestasjonen direkte når noko uroar meg.",
     "Alt samarbeid med PPT går via skriftleg tilvising, og det tek lang tid før noko skjer. Eg har høyrt at "
     "Nausthaugen har helsesjukepleiaren på skulen kvar veke; det får ikkje ein skule på vår storleik til.",
     "Me var kontrollskule og har ikkje vore med i sjølve prosjektet. Eg har lese rapporten."),
    ("Bakkebø skule", "lærer", 26,
     "Eg har kjent helsesjukepleiaren i mange år, så ein telefon er nok.",
     "Det er langt til alle tenestene. PPT har ikkje tid til å kome hit meir enn eit par gonger i året, så me "
     "tilviser og ventar.",
     "Slikt arbeid har me ikkje hatt her."),
    # ---- Brattli
    ("Furulund skole", "lærer", 8,
     "Jeg kan ta opp en bekymring med sosiallærer og få svar fra ressursteamet innen et par uker. PPT-rådgiveren "
     "sitter her hver torsdag, så han er lett å spørre.",
     "Tilbakemeldingen om hva som ble bestemt for eleven min, kommer ofte muntlig i gangen. Da er det lett å gå glipp "
     "av noe.",
     "Lite direkte. Vi fikk informasjon på planleggingsdagen i august, og trinnet mitt hadde ett møte med "
     "ressursteamet om friminuttene i fjor."),
    ("Furulund skole", "spesialpedagog", 12,
     "Faste møter hver fjerde uke med dagsorden i forkant. Barnevernet har en kontaktperson som kjenner skolen, og "
     "derfor drøfter vi saker mye tidligere enn før.",
     "Kapasiteten i BUP. De deltar bare et par ganger i semesteret, og utredning tar lang tid.",
     "Medlem av ressursteamet siden 2017. Deltok på alle dialogkonferansene og skrev på den forenklede veilederen "
     "kommunen bruker nå."),
    ("Furulund skole", "skoleleder", 5,
     "Rollene er avklart: alle vet hva PPT, helsesykepleier og barnevern kan bidra med. Vi slipper å forhandle om "
     "tid hvert år, fordi det er bestemt på kommunenivå.",
     "Sårbarheten når nøkkelpersoner blir borte. Da helsesykepleier ble satt til smittesporing, stoppet mye opp.",
     "Leder møtene når rektor ikke kan, og følger opp avtalene mellom møtene."),
    ("Bjørkeli skole", "lærer", 15,
     "Ressursteamet ble slått sammen med elevtjenestemøtet. Ett møte i stedet for to, kort og konkret.",
     "Lærerne deltar sjelden når sakene gjelder våre egne elever. Jeg skulle gjerne hørt PPTs vurdering direkte.",
     "Har svart på et par spørreskjema, mer har det ikke vært."),
    ("Bjørkeli skole", "lærer", 3,
     "Helsesykepleier svarer raskt på Teams.",
     "Som ny vet jeg egentlig ikke hvordan jeg melder inn en bekymring. Det står sikkert et sted.",
     "Ikke involvert."),
    ("Bjørkeli skole", "assistent", 10,
     "Skolen har mer kontakt med helsesykepleier enn før, og det merker vi i SFO også.",
     "Tid. Assistentene har ingen tid avsatt til møter.",
     ""),
    ("Tjernet skole", "lærer", 9,
     "PPT-rådgiveren er flink når hun først er her.",
     "Jeg sier ifra til sosiallærer når jeg er bekymret, og så hører jeg ikke mer. Om saken er tatt opp i "
     "ressursteamet eller bare ligger der, vet jeg ikke. Med alle vikartimene har jeg lite tid til å følge opp selv.",
     "Ledelsen holdt oss lærere utenfor prosjektet, sikkert i beste mening. Derfor kan jeg ikke si noe om hvordan det "
     "fungerer."),
    ("Tjernet skole", "lærer", 2,
     "For tidlig å si for min del.",
     "Høyt sykefravær og mange vikarer. Det er vanskelig å få til noe utover det daglige.",
     "Har ikke vært med på noe slikt; jeg begynte her høsten 2020."),
    ("Tjernet skole", "spesialpedagog", 7,
     "Møtene i ressursteamet er konstruktive når de blir holdt, og barnevernskonsulenten forklarer godt hva hun kan "
     "og ikke kan gjøre.",
     "Møter blir avlyst for ofte. Planen sier hver tredje uke, men i høst ble det fire møter. Sakene har dessuten glidd "
     "over til enkeltelever i stedet for systemnivå.",
     "Jeg sitter i ressursteamet, men har ikke vært med på å bestemme hvordan det skal drives."),
    ("Haugen skole", "lærer", 19,
     "Vi har gode folk å spille på. Helsesykepleier kjenner mange av familiene.",
     "Rundt fire måneders ventetid i PPT nå. Vi sender henvisning og klarer oss selv i mellomtiden. Utenom de to "
     "møtene i året der PPT går gjennom lista, er det lite kontakt.",
     "Hele personalet har jobbet med klasseledelse de siste årene. Samarbeid med hjelpetjenestene har ikke vært tema."),
    ("Haugen skole", "assistent", 2,
     "Greit med helsesykepleier.",
     "Kjenner ikke så godt til det.",
     ""),
    ("Steinrud skole", "lærer", 11,
     "Vi deler PPT-rådgiver med Bjørkeli. Hun er engasjert og lett å ringe.",
     "Hun har for mange skoler og barnehager. Ofte må vi vente til neste måned for å snakke med henne, og trenger en "
     "elev utredning, er det henvisning og kø som gjelder.",
     "Ingenting spesielt knyttet til hjelpetjenestene."),
    ("Steinrud skole", "skoleleder", 6,
     "Kommunen har laget en tydelig plan for tverrfaglig samarbeid, og vi skal få ressursteam her også fra neste høst. "
     "Det ser jeg fram til.",
     "Uten faste arenaer har samarbeidet vært avhengig av at jeg eller sosiallærer tar kontakt når noe haster. Det "
     "blir brannslukking.",
     "Som kontrollskole var vi ikke med på samlingene. Jeg deltok på kommunens samling i oktober og planlegger "
     "oppstart."),
    # ---- Sørvang
    ("Måkeberget skole", "lærer", 13,
     "Helsesykepleier har kontoret ved siden av møterommet og er her to dager i uka. Elevene stikker innom, vi lærere "
     "også.",
     "Vi er for få voksne. To stillinger står ubesatt, og når noen er syke, går spesialpedagogen inn som vikar. Da "
     "følger ingen opp tiltakene.",
     "Ble spurt om å være med i en arbeidsgruppe i 2018, men den kom aldri i gang. Nå har vi ikke kapasitet til sånt."),
    ("Måkeberget skole", "spesialpedagog", 16,
     "Ressursteamet er nedskalert, men det lever. Vi møtes første tirsdag i måneden og drøfter saker før noen sender "
     "henvisning.",
     "PPT har vakante stillinger og opptil ni måneders ventetid. Rådgiveren vår er sykmeldt, og vi har ikke fått noen "
     "fast erstatter.",
     "Som koordinator forbereder jeg sakene til møtene sammen med rektor."),
    ("Måkeberget skole", "assistent", 7,
     "Lett å få kontakt med helsesykepleier.",
     "Budsjettkuttene. To assistentstillinger er borte siden 2020, og det merkes på alt.",
     "Jeg har ikke vært med."),
    ("Lyngmo skole", "lærer", 14,
     "Helsesykepleier kjenner skolen vår, og den kontakten har vi beholdt.",
     "Det var for mange prosjekter samtidig: LOG, lesesatsing, nettbrett og vurderingsnettverk. Da korona kom, var vi "
     "helt tomme. Ressursteamet stoppet og kom aldri i gang igjen.",
     "Var på dialogkonferansene de to første årene. Mye prat, lite som endret seg i klasserommet."),
    ("Lyngmo skole", "lærer", 5,
     "Ikke så mye jeg kan peke på.",
     "Ventetiden i PPT, og at vi ikke har noe sted å drøfte en elev før vi henviser. En av elevene mine har ventet "
     "siden i fjor vår.",
     "Ikke i det hele tatt."),
    ("Lyngmo skole", "skoleleder", 8,
     "Rutinen for å melde bekymring til barnevernet fungerer. Den tok vi med oss fra prosjektet.",
     "Prosjekttretthet i personalet og for lite tid i ledelsen. Sykefraværet har vært høyt i to år, og da går "
     "driften foran.",
     "Skrev referatene i ressursteamet fram til mars 2020. Mappa står fortsatt på kontoret mitt."),
    ("Strandvik skole", "lærer", 10,
     "Sosiallærer har god oversikt over hvem som venter på PPT.",
     "Lista er lang: elleve elever venter på utredning, og lite kan skje før den sakkyndige vurderingen kommer. "
     "Helsesykepleier er bare her en halv dag i uka.",
     "Ikke noe utviklingsarbeid på dette området så vidt jeg vet."),
    ("Strandvik skole", "spesialpedagog", 22,
     "Faglig sterke folk i PPT når de først kommer inn i saken.",
     "Samarbeidet starter for sent. Vi ringer når det brenner, og da er saken allerede stor. Ingen tid er satt av til "
     "å møtes jevnlig, og etter kuttene har alle tjenestene for lite folk.",
     "Jeg er med i kommunens nettverk for spesialpedagoger, men der handler det mest om vedtak og rapporter."),
    ("Ospelia skole", "lærer", 4,
     "På mandager har helsesykepleier elevsamtaler her på skolen.",
     "Er det vaksinering, kommer hun ikke. PPT har vi nesten ikke sett siden jeg begynte; alt går på e-post og skjema.",
     "Vet ikke hvilket utviklingsarbeid det gjelder."),
    ("Ospelia skole", "assistent", 12,
     "De som kommer, er hyggelige og tar elevene på alvor.",
     "",
     "Ingen har spurt meg."),
    ("Solbakken skole", "lærer", 23,
     "Når vi først har en sak gående, særlig med barnevernet, er samarbeidet godt.",
     "Vi har ikke tid til møter om møter. Kuttene har gitt større klasser og færre voksne, så samarbeid med "
     "hjelpetjenestene blir noe vi gjør når vi må.",
     "Den nye rektoren har skrevet ned rutiner for henvisning, og de ble gjennomgått på et personalmøte."),
    ("Solbakken skole", "skoleleder", 2,
     "Faste rutiner for henvisning til PPT og et skjema for bekymringsmelding har gjort det mer forutsigbart for "
     "lærerne.",
     "PPT-kapasiteten. To av ni stillinger står vakante, og ventetiden er oppe i ni måneder.",
     "Har arbeidet med rutinebeskrivelsene sammen med rektor siden vi begge kom i 2020."),
    # ---- Elvheim
    ("Kvitstein skole", "lærer", 6,
     "Ressursteamet har holdt på hele tiden, også under korona. Tar jeg opp en bekymring, får jeg vite hva som skjer "
     "videre.",
     "Det kommer stadig nye folk fra den nye enheten, og alt må forklares på nytt. Rektor bruker mye tid på det.",
     "Trinnet mitt var med på ett møte med ressursteamet i høst om en urolig klasse. Ellers er det ledelsen og "
     "sosiallærer som deltar."),
    ("Kvitstein skole", "spesialpedagog", 13,
     "Helsesykepleier leder møtene annenhver gang, så alle tjenestene tar eierskap. Vi er enige om hva teamet skal "
     "brukes til.",
     "Omorganiseringen av hjelpetjenestene etter sammenslåingen: tre runder på to år, og PPT-rådgiveren vi har nå, "
     "begynte i juni.",
     "Fast medlem av ressursteamet. Var også med på å lage årshjulet."),
    ("Kvitstein skole", "skoleleder", 4,
     "Faste møter på torsdager, dagsorden på forhånd og referat etterpå. BUP deltar to ganger i halvåret.",
     "Sammenslåingen og pandemien kom samtidig, og det var rektors innsats som holdt arbeidet gående. Uten henne er "
     "jeg usikker på om det hadde overlevd.",
     "Med i ressursteamet siden jeg begynte, og med på samlingene med den nye enheten."),
    ("Mølleråsen skole", "lærer", 18,
     "Elevene kjenner helsesykepleieren godt, hun er mye på skolen.",
     "Alt har stått på vent siden sammenslåingen. Rektor er sykmeldt, og ingen har tatt over ansvaret for "
     "ressursteamet. Siste møte var i november i fjor.",
     "En dialogkonferanse i 2018. Siden har jeg ikke hørt noe om det."),
    ("Mølleråsen skole", "skoleleder", 3,
     "Velvilje hos de nye lederne i tjenestene.",
     "Vi venter på at den nye strukturen skal sette seg. Hvem som er kontaktperson i den nye enheten, vet vi ikke, og "
     "møter er vanskelige å planlegge når rektor er borte.",
     "Prøver å holde i de praktiske oppgavene, men har ikke mandat til å starte ressursteamet igjen på egen hånd."),
    ("Fossheim skole", "lærer", 16,
     "Det var bedre før. Da hadde vi møter annenhver torsdag med PPT og helsesykepleier.",
     "Tre rektorer på to år. Hver ny leder begynner på nytt, og det som var bygd opp, er borte. Nå sender vi "
     "henvisning som alle andre.",
     "Satt i en arbeidsgruppe om veiledningsheftet i 2019, men ingen har spurt om det etterpå."),
    ("Fossheim skole", "assistent", 1,
     "Har vært her for kort tid til å svare.",
     "",
     "Nei."),
    ("Elvebakken skole", "lærer", 12,
     "Handlingsveilederen fra kommunen gjør det tydelig hva vi skal gjøre når vi er bekymret for en elev.",
     "Skjemaet fylles ut og sendes til den nye enheten, og så går det lang tid. Vi har ingen fast person å ringe.",
     "Vurdering for læring har vært satsingen vår. Samarbeid med tjenestene har ikke vært en del av det."),
    ("Elvebakken skole", "skoleleder", 9,
     "Kort vei til rådhuset og tjenestene, gode interne rutiner og en sosiallærer med oversikt.",
     "Tjenestene er organisert på nytt etter sammenslåingen, og ventetiden i PPT har økt. Samarbeidet bygger på "
     "henvisninger, ikke på at vi møtes.",
     "Innførte handlingsveilederen på skolen vår."),
    ("Granly skole", "lærer", 7,
     "Hver onsdag er helsesykepleier her, og hun kjenner alle elevene ved navn.",
     "Siden sammenslåingen vet vi ikke helt hvem vi skal ringe. Folk har byttet stillinger, og det tar tid før noen "
     "svarer.",
     "Ingen rolle."),
    ("Granly skole", "assistent", 5,
     "Fint at helsesykepleier har en fast dag.",
     "Vi assistenter hører sjelden hvordan det går med elevene det er meldt bekymring for.",
     ""),
]


def answered_dates(count, rng):
    """Weekdays of the survey window (31 January – 25 February 2022), one per respondent, in answer order."""
    start = datetime.date(2022, 1, 31)
    days = [start + datetime.timedelta(n) for n in range(26)]
    weekdays = [d for d in days if d.weekday() < 5]
    # Most answers come in the first days and just before the reminder and the deadline.
    weights = [6 if i < 3 else 3 if i in (9, 10, 17, 18, 19) else 1 for i in range(len(weekdays))]
    return sorted(rng.choices(weekdays, weights=weights, k=count))


def main():
    if len(ANSWERS) != 45:
        raise SystemExit(f"expected 45 respondents, found {len(ANSWERS)}")
    seen = set()
    for row in ANSWERS:
        for answer in row[3:]:
            if answer and answer in seen:
                raise SystemExit(f"a repeated answer: {answer!r}")
            seen.add(answer)
    rng = random.Random(2022)
    # Respondent numbers follow the order answers came in, as in the survey tool's export.
    order = list(range(len(ANSWERS)))
    rng.shuffle(order)
    dates = answered_dates(len(ANSWERS), rng)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Svar"
    sheet.append(HEADERS)
    for number, (index, date) in enumerate(zip(order, dates), start=1):
        school, role, years, a1, a2, a3 = ANSWERS[index]
        sheet.append([f"R{number:03d}", school, role, years, date, a1 or None, a2 or None, a3 or None])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet["E"][1:]:
        cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGH", [11, 20, 15, 15, 12, 60, 60, 60]):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"

    about = book.create_sheet("Om undersøkelsen")
    for line in [
        ["Personalundersøkelse 2022 – tverrfaglig samarbeid (fiktive data for Marginalias eksempelstudie)"],
        ["Gjennomført 31. januar – 25. februar 2022 ved 19 barneskoler i Vikøy, Brattli, Sørvang og Elvheim."],
        ["Anonymisert: respondentnummer i svarrekkefølge, skole, rolle og år ved skolen."],
        ["Roller: lærer, spesialpedagog, assistent, skoleleder (rektor, inspektør eller avdelingsleder)."],
    ]:
        about.append(line)

    book.properties.creator = "Marginalia"
    book.properties.title = "Personalundersøkelse 2022"
    book.properties.created = datetime.datetime(2022, 3, 1, 9, 0, 0)
    book.properties.modified = datetime.datetime(2022, 3, 1, 9, 0, 0)
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps zip entries with the current time; fixed timestamps keep the file reproducible.
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(
        TARGET, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, (2022, 3, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    for number, index in enumerate(order, start=1):
        print(f"R{number:03d}  {ANSWERS[index][0]:18} {ANSWERS[index][1]}")


if __name__ == "__main__":
    main()
