using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tweeling.Domain.Scenarios;
using Tweeling.Governance.Identity;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>GET /api/v1/openapi.json</c>: the OpenAPI 3.0 document of the platform API, written to pass the
/// NL API Design Rules linter (spectral with the Logius ruleset): contact, a versioned server URL,
/// the <c>API-Version</c> header on every success, and RFC 9457 problems on every error.
/// A test checks that every mapped <c>/api/v1</c> endpoint is described here and nothing else.
/// </summary>
internal static class PlatformOpenApi
{
    public static ContentHttpResult Handle(IOptions<ApiOptions> options) => TypedResults.Content(Document(options.Value).ToJsonString(), "application/json");

    /// <summary>The described operations as (method, path under /api/v1).</summary>
    public static IEnumerable<(string Method, string Path)> Operations(ApiOptions contact) =>
        Document(contact)["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (o.Key.ToUpperInvariant(), p.Key)));

    internal static JsonObject Document(ApiOptions contact) => new()
    {
        ["openapi"] = "3.0.3",
        ["info"] = new JsonObject
        {
            ["title"] = "Tweeling platform-API",
            ["version"] = PlatformApi.Version,
            ["description"] = "De datacatalogus, gebieden met hun indicatoren, indicatordefinities, en drempels en alarmen op sensormetingen van de digitale tweeling. Alle fouten als RFC 9457 problem details.",
            ["contact"] = new JsonObject { ["name"] = contact.ContactName, ["email"] = contact.ContactEmail, ["url"] = contact.ContactUrl },
            ["license"] = new JsonObject { ["name"] = "EUPL-1.2", ["url"] = "https://eupl.eu/1.2/nl/" },
        },
        ["servers"] = new JsonArray(new JsonObject { ["url"] = PlatformApi.Prefix, ["description"] = "Deze server" }),
        ["paths"] = new JsonObject
        {
            ["/datasets"] = Get("listDatasets", "Alle datasets die de aanroeper mag zien", Ok(ArrayOf("Dataset"))),
            ["/datasets/{id}"] = Get("getDataset", "Eén dataset", Ok(Ref("Dataset")), PathParameter("id", "De id van de dataset")),
            ["/catalogus"] = Get("getCatalogus", "De catalogus als DCAT-AP-NL 3.0 JSON-LD", Ok(new JsonObject { ["type"] = "object" }, Catalogus.MediaType)),
            ["/gebieden"] = Get("listGebieden", "Gemeente, wijken en buurten met hun indicatoren op een peildatum", Ok(ArrayOf("Gebied")),
                QueryParameter("niveau", "Alleen dit niveau", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("gemeente", "wijk", "buurt") }),
                PeildatumParameter()),
            ["/gebieden/{code}"] = Get("getGebied", "Eén gebied met zijn indicatoren op een peildatum", Ok(Ref("Gebied")),
                PathParameter("code", "De CBS-code, bijv. BU05050100"), PeildatumParameter()),
            ["/indicatoren"] = Get("listIndicatoren", "Alle indicatordefinities", Ok(ArrayOf("Indicator"))),
            ["/indicatoren/{code}"] = Get("getIndicator", "Eén indicatordefinitie", Ok(Ref("Indicator")), PathParameter("code", "De code van de indicator")),
            ["/live"] = Get("getLive", "Live waarnemingen en alarmen als server-sent events: eerst 'verbonden', dan één event 'observatie' per opgeslagen waarneming en één event 'alarm' per gemeld of opgeheven alarm", Ok(new JsonObject
            {
                ["type"] = "string",
                ["description"] = "text/event-stream; eerst 'event: verbonden' (data null), dan per waarneming 'event: observatie' met als data een Liveobservatie in JSON, "
                    + "en per alarm dat een drempel meldt of opheft 'event: alarm' met als data het Alarm zoals het toen was (status actief of opgeheven)",
            }, "text/event-stream")),
            ["/drempels"] = Get("listDrempels", "Alle drempels op meetreeksen (alleen-lezen; in te stellen met 'tweeling drempels')", Ok(ArrayOf("Drempel")),
                QueryParameter("datastream", "Alleen de drempels van deze SensorThings-Datastream", Integer())),
            ["/drempels/{id}"] = Get("getDrempel", "Eén drempel", Ok(Ref("Drempel")), PathParameter("id", "De id van de drempel")),
            ["/alarmen"] = Get("listAlarmen", "De alarmgeschiedenis, nieuwste eerst (naar het tijdstip van de waarneming die het alarm meldde)", WithNextLink(Ok(ArrayOf("Alarm"))),
                QueryParameter("datastream", "Alleen alarmen van deze SensorThings-Datastream", Integer()),
                QueryParameter("drempel", "Alleen alarmen van deze drempel", Integer()),
                QueryParameter("van", "Alleen alarmen die op of na dit tijdstip nog actief waren (RFC 3339, met tijdzone)", Str("date-time")),
                QueryParameter("tot", "Alleen alarmen gemeld vóór dit tijdstip (RFC 3339, met tijdzone)", Str("date-time")),
                QueryParameter("actief", "true: alleen alarmen die nog niet zijn opgeheven", new JsonObject { ["type"] = "boolean" }),
                QueryParameter("metActief", "true: na de eerste pagina ook elk actief alarm dat er niet op staat (nieuwste eerst), zodat één lezing de actieve alarmen en de recente geschiedenis geeft; niet samen met offset", new JsonObject { ["type"] = "boolean" }),
                QueryParameter("limit", $"Hoogstens zoveel alarmen (1 tot {Alarmen.MaxLimit}; standaard {Alarmen.DefaultLimit})", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = Alarmen.MaxLimit }),
                QueryParameter("offset", "Sla zoveel van de nieuwste alarmen over", new JsonObject { ["type"] = "integer", ["minimum"] = 0 })),
            ["/alarmen/{id}"] = Get("getAlarm", "Eén alarm", Ok(Ref("Alarm")), PathParameter("id", "De id van het alarm")),
            ["/sensoren/{sensor}/reeksen/{reeks}/aggregaten"] = Get("getSensorAggregaten",
                "Aantal, laagste, hoogste en gemiddelde waarde van één meetreeks (SensorThings-Datastream) van een sensor (Thing) per UTC-uur of -dag, uit de aggregaten die bij het opslaan worden bijgehouden; uren of dagen zonder numerieke waarneming ontbreken",
                Ok(Ref("Aggregaten")), PathParameter("sensor", "De id van de sensor (SensorThings-Thing)"), PathParameter("reeks", "De id van de meetreeks (SensorThings-Datastream) van die sensor"),
                QueryParameter("interval", "uur (standaard) of dag", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("uur", "dag") }),
                QueryParameter("van", "Alleen uren of dagen die op of na dit tijdstip beginnen (RFC 3339, met tijdzone; standaard 24 uur of 30 dagen vóór 'tot')", Str("date-time")),
                QueryParameter("tot", $"Alleen uren of dagen die vóór dit tijdstip beginnen (RFC 3339, met tijdzone; standaard nu); hoogstens {Aggregaten.MaxBuckets} uren of dagen", Str("date-time"))),
            ["/algoritmes"] = Get("listAlgoritmes", "Het algoritmeregister: elk algoritme van het platform met zijn registratie volgens de publicatiestandaard van het Algoritmeregister (v1.0.0) en of het is ingeschakeld",
                WithNextLink(Ok(ArrayOf("Algoritme"))), LimitParameter("algoritmes", Algoritmes.MaxLimit, Algoritmes.DefaultLimit), OffsetParameter("algoritmes")),
            ["/algoritmes/export"] = Get("exportAlgoritmes", "Alle registraties in het JSON-formaat van de publicatiestandaard v1.0.0 (sleutels zoals name, description_short), voor het landelijke Algoritmeregister",
                Ok(new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object", ["description"] = "Eén registratie; de sleutels zijn de veldnamen van de publicatiestandaard" } })),
            ["/algoritmes/{id}"] = Get("getAlgoritme", "Eén algoritme uit het register", Ok(Ref("Algoritme")), PathParameter("id", "De id van het algoritme, bijv. drempelalarmen")),
            ["/algoritmes/{id}/status"] = new JsonObject
            {
                ["put"] = Write("putAlgoritmeStatus", "Een algoritme in- of uitschakelen (alleen beheerder); inschakelen wordt geweigerd (409) zolang een vereiste beoordeling ontbreekt of de registratie niet aan de standaard voldoet",
                    Object(("ingeschakeld", new JsonObject { ["type"] = "boolean" })), "200", Ok(Ref("Algoritme")), PathParameter("id", "De id van het algoritme, bijv. drempelalarmen")),
            },
            ["/beoordelingen"] = Get("listBeoordelingen", "DPIA's, IAMA's en toetsen van de ethische commissie per dataset, algoritme of experiment (alleen-lezen; vast te leggen met 'tweeling reviews')",
                WithNextLink(Ok(ArrayOf("Beoordeling"))),
                QueryParameter("onderwerp", "Alleen beoordelingen van dit onderwerp: dataset/<id>, algoritme/<id> of experiment/<id>", Str()),
                LimitParameter("beoordelingen", Algoritmes.MaxLimit, Algoritmes.DefaultLimit), OffsetParameter("beoordelingen"))
                .With("post", Write("postBeoordeling", "Een DPIA, IAMA of toets van de ethische commissie vastleggen (datasteward, beheerder), als concept of ingediend",
                    Object(
                        ("soort", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("dpia", "iama", "ethische-commissie") }),
                        ("onderwerp", Str()), ("beoordelaars", ArrayOf("Beoordelaar")),
                        ("secties", new JsonObject { ["type"] = "array", ["items"] = Object(("code", Str()), ("tekst", Str())) }),
                        ("indienen", new JsonObject { ["type"] = "boolean" })),
                    "201", Created(Ref("Beoordeling")))),
            ["/beoordelingen/{id}"] = Get("getBeoordeling", "Eén beoordeling", Ok(Ref("Beoordeling")), PathParameter("id", "De id van de beoordeling")),
            ["/beoordelingen/{id}/besluit"] = new JsonObject
            {
                ["post"] = Write("postBesluit", "Een beoordeling verder brengen: indienen, goedkeuren (met voorwaarden), afwijzen, intrekken. Een DPIA besluit de datasteward, een toets de ethische commissie, een IAMA een van beide",
                    Object(
                        ("status", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("concept", "in-behandeling", "goedgekeurd", "afgewezen", "ingetrokken") }),
                        ("voorwaarden", new JsonObject { ["type"] = "array", ["items"] = Str() }), ("geldigTot", Str("date"))),
                    "200", Ok(Ref("Beoordeling")), PathParameter("id", "De id van de beoordeling")),
            },
            ["/audit"] = Forbidden(Get("listAudit", "Het auditlog voor de functionaris gegevensbescherming, op volgnummer (alleen datasteward en beheerder; elke raadpleging wordt zelf vastgelegd)",
                WithNextLink(Ok(ArrayOf("Auditrecord"))),
                QueryParameter("van", "Alleen records op of na dit tijdstip (RFC 3339, met tijdzone)", Str("date-time")),
                QueryParameter("tot", "Alleen records vóór dit tijdstip (RFC 3339, met tijdzone)", Str("date-time")),
                QueryParameter("pseudoniem", "Alleen records van dit pseudoniem (account, token of proces)", Str()),
                QueryParameter("actie", "Alleen records van deze actie, bijv. read, create, export", Str()),
                LimitParameter("records", AuditTrail.MaxLimit, AuditTrail.DefaultLimit), OffsetParameter("records"))),
            ["/zoeken"] = Get("zoeken", "Zoek gemeente, wijken en buurten (naam of CBS-code), straten, adressen (straat en huisnummer, of postcode en huisnummer; het treffer is het pand), voorzieningen, beheerobjecten en sensoren; exacte treffers eerst, dan begin van de naam of van een woord, dan de rest",
                Ok(ArrayOf("Zoekresultaat")),
                RequiredQueryParameter("q", $"De zoektekst (1 tot {Zoeken.MaxQueryLength} tekens; hoofdletters maken niet uit)", Str()),
                LimitParameter("resultaten", Zoeken.MaxLimit, Zoeken.DefaultLimit)),
            ["/herkomst/{collectionId}/{featureId}"] = Get("getHerkomst", "De herkomst van één object op de kaart: dataset, eigenaar, bron, laatste wijziging, classificatie en licentie",
                Ok(Ref("Herkomst")), PathParameter("collectionId", "De OGC-collectie, bijv. panden"), PathParameter("featureId", "De id van het object in die collectie"), PeildatumParameter()),
            ["/dashboards/armoede"] = Get("getDashboardArmoede", "Dashboard armoede en multiproblematiek per wijk en buurt; cijfers uit het huishoudensregister na onthullingsbeheersing voor wie het register niet mag lezen",
                Dashboard(), PeildatumParameter(), FormaatParameter()),
            ["/dashboards/binnenstad"] = Get("getDashboardBinnenstad", "Dashboard leefbare binnenstad per buurt: gezondheid (lucht, groen, verharding, huisarts), bereikbaarheid en veiligheid (drukte)",
                Dashboard(), PeildatumParameter(), FormaatParameter()),
            ["/modellen"] = Get("listModellen", "De impactmodellen van de scenariorekenaar met hun interface: versie, CRS, invoer- en uitvoerpoorten met eenheden, en hun registratie in het algoritmeregister",
                Ok(ArrayOf("Model"))),
            ["/scenarios"] = Forbidden(Get("listScenarios", "Scenario's (laatste versie van elk): benoemde, geversioneerde ingrepen op de basissituatie (elke aangemelde rol)",
                WithNextLink(Ok(ArrayOf("Scenario"))), LimitParameter("scenario's", Scenarios.MaxLimit, Scenarios.DefaultLimit), OffsetParameter("scenario's")))
                .With("post", Write("postScenario", "Een scenario aanmaken als versie 1 (analist, beheerder); geometrieën als GeoJSON in CRS84", ScenarioBody(), "201", Created(Ref("Scenario")))),
            ["/scenarios/{id}"] = Forbidden(Get("getScenario", "De laatste versie van een scenario", Ok(Ref("Scenario")), PathParameter("id", "De id van het scenario")))
                .With("put", Write("putScenario", "Een nieuwe versie van een scenario opslaan (analist, beheerder); eerdere versies blijven ongewijzigd",
                    ScenarioBody(), "200", Ok(Ref("Scenario")), PathParameter("id", "De id van het scenario")))
                .With("delete", DeleteScenario()),
            ["/scenarios/{id}/versies/{versie}"] = Forbidden(Get("getScenarioVersie", "Eén versie van een scenario; een versie verandert nooit",
                Ok(Ref("Scenario")), PathParameter("id", "De id van het scenario"), PathParameter("versie", "Het versienummer, vanaf 1"))),
            ["/scenarios/{id}/versies/{versie}/doorrekening"] = new JsonObject { ["post"] = RunScenario() },
            ["/scenarios/{id}/versies/{versie}/resultaten"] = Runs(Forbidden(Get("getScenarioResultaten",
                "Basis, scenario en verschil per indicator en gebied (gemeente en buurten); als GeoJSON van de buurten met Accept: application/geo+json of formaat=geojson. Een versie die nog niet is doorgerekend wordt doorgerekend",
                ScenarioResultsOk(), [.. VersionParameters(), IndicatorParameter(), GebiedParameter(),
                    QueryParameter("formaat", "json (standaard) of geojson; ook te kiezen met de Accept-header (application/geo+json)", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("json", "geojson") })]))),
            ["/scenarios/{id}/versies/{versie}/resultaten/rasters/{indicator}"] = Runs(Forbidden(Get("getScenarioRaster",
                "Het raster van één indicator (RD New): basis, scenario en verschil per cel; 404 voor een indicator zonder raster",
                Ok(Ref("Scenarioraster")), [.. VersionParameters(), PathParameter("indicator", "De id van de indicator")]))),
            ["/scenarios/{id}/versies/{versie}/resultaten/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"] = Runs(Forbidden(Get("getScenarioTegel",
                "Een Mapbox Vector Tile (laag scenario-delta) van de buurten met basis, scenario en verschil van één indicator; 204 voor een lege tegel",
                Ok(new JsonObject { ["type"] = "string", ["format"] = "binary" }, "application/vnd.mapbox-vector-tile"),
                [.. VersionParameters(), PathParameter("tileMatrixSetId", "WebMercatorQuad"), PathParameter("tileMatrix", "Zoomniveau, 10 tot 16"),
                    PathParameter("tileRow", "Rij"), PathParameter("tileCol", "Kolom"),
                    RequiredQueryParameter("indicator", "De id van de indicator", Str())]))),
            ["/scenarios/{id}/versies/{versie}/impactmatrix"] = Runs(Forbidden(Get("getScenarioImpactmatrix",
                "Per domein en indicator: richting, omvang (absoluut en relatief verschil, aantal buurten boven de drempel) en zekerheid",
                Ok(Ref("Impactmatrix")), VersionParameters()))),
            ["/scenarios/{id}/versies/{versie}/rapport"] = Runs(Forbidden(Get("getScenarioRapport",
                "Het rapport voor raadsleden als één HTML-pagina: samenvatting, ingrepen, impactmatrix, kaarten en grafieken per domein (inline SVG, met tabellen)",
                Ok(new JsonObject { ["type"] = "string" }, "text/html"), VersionParameters()))),
            ["/scenarios/vergelijking"] = Runs(Forbidden(Get("getScenarioVergelijking",
                "Twee scenarioversies met dezelfde peildatum vergeleken: per indicator en gebied basis, A, B en de verschillen",
                Ok(Ref("Scenariovergelijking")),
                RequiredQueryParameter("a", "Scenario A als {id}:{versie}, bijv. 3:2", Str()), RequiredQueryParameter("b", "Scenario B als {id}:{versie}", Str()),
                SeedParameter(), IndicatorParameter(), GebiedParameter()))),
            ["/openapi.json"] = Get("getOpenapi", "Dit document", Ok(new JsonObject { ["type"] = "object" })),
            ["/sessies"] = new JsonObject { ["post"] = Session() },
            ["/sessies/{id}"] = new JsonObject { ["delete"] = EndSession() },
            ["/ik"] = Get("getIk", "Wie de aanroeper is volgens het platform: rol, pseudoniem en het opgegeven doel (header X-Tweeling-Doel)", Ok(Ref("Ik"))),
        },
        ["components"] = new JsonObject
        {
            ["headers"] = new JsonObject
            {
                ["API-Version"] = new JsonObject { ["description"] = "De volledige versie van de API", ["schema"] = new JsonObject { ["type"] = "string", ["example"] = PlatformApi.Version } },
            },
            ["schemas"] = new JsonObject
            {
                ["Link"] = Object(("href", Str())),
                ["Poort"] = Object(("naam", Str()), ("type", Str()), ("eenheid", Str()), ("beschrijving", Str())),
                ["Model"] = Object(
                    ("id", Str()), ("versie", Str()), ("titel", Str()), ("crs", Str()), ("invoer", ArrayOf("Poort")), ("uitvoer", ArrayOf("Poort")), ("algoritme", Ref("Link"))),
                ["Ingreep"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Eén ingreep; 'soort' bepaalt de overige velden (zie docs/scenarios.md). Geometrieën zijn GeoJSON Polygon of Point in CRS84",
                    ["required"] = new JsonArray("soort"),
                    ["properties"] = new JsonObject
                    {
                        ["soort"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. ScenarioContent.Kinds.Select(k => (JsonNode)k)]) },
                    },
                },
                ["Scenario"] = Object(
                    ("id", Integer()), ("versie", Integer()), ("naam", Str()), ("beschrijving", new JsonObject { ["type"] = "string", ["nullable"] = true }),
                    ("peildatum", Str("date")), ("inhoudshash", Str()), ("aangemaaktOp", Str("date-time")), ("ingrepen", ArrayOf("Ingreep")),
                    ("links", Object(("self", Ref("Link")), ("scenario", Ref("Link")), ("modellen", Ref("Link"))))),
                ["ScenarioVerwijzing"] = Object(("id", Integer()), ("versie", Integer()), ("naam", Str()), ("peildatum", Str("date")), ("inhoudshash", Str())),
                ["Resultaatindicator"] = Object(
                    ("id", Str()), ("titel", Str()), ("domein", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("sociaal", "fysiek", "mobiliteit", "milieu", "beheer") }),
                    ("eenheid", Str()), ("wenselijk", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("hoger-is-beter", "lager-is-beter", "neutraal") }),
                    ("model", Str()), ("zekerheid", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("hoog", "middel", "laag") }), ("zekerheidToelichting", Str())),
                ["Resultaatwaarde"] = Object(("indicator", Str()), ("gebied", Str()), ("basis", Nullable(Number())), ("scenario", Nullable(Number())),
                    ("delta", Nullable(Number())), ("relatieveDelta", Nullable(Number()))),
                ["Resultaathash"] = Object(("basis", Str()), ("scenario", Str())),
                ["Resultaatlinks"] = Object(("self", Ref("Link")), ("scenario", Ref("Link")), ("resultaten", Ref("Link")), ("impactmatrix", Ref("Link")), ("rapport", Ref("Link")), ("tegels", Ref("Link"))),
                ["Doorrekening"] = Object(
                    ("scenario", Ref("ScenarioVerwijzing")), ("seed", Integer()), ("resultaathash", Ref("Resultaathash")), ("modelversies", StringMap()),
                    ("gerekendeModellen", new JsonObject { ["type"] = "array", ["items"] = Str() }), ("rekentijdMs", Number()),
                    ("indicatoren", ArrayOf("Resultaatindicator")), ("gemeente", ArrayOf("Resultaatwaarde")), ("links", Ref("Resultaatlinks"))),
                ["Scenarioresultaten"] = Object(
                    ("scenario", Ref("ScenarioVerwijzing")), ("seed", Integer()), ("resultaathash", Ref("Resultaathash")), ("modelversies", StringMap()),
                    ("indicatoren", ArrayOf("Resultaatindicator")), ("waarden", ArrayOf("Resultaatwaarde")),
                    ("rasters", new JsonObject { ["type"] = "array", ["items"] = Object(("indicator", Str()), ("href", Str("uri"))) }), ("links", Ref("Resultaatlinks"))),
                ["Scenarioraster"] = Object(
                    ("indicator", Str()), ("crs", Str()), ("origineX", Number()), ("origineY", Number()), ("celgrootte", Number()), ("kolommen", Integer()), ("rijen", Integer()),
                    ("basis", NullableNumbers()), ("scenario", NullableNumbers()), ("delta", NullableNumbers())),
                ["Impactcel"] = Object(
                    ("indicator", Ref("Resultaatindicator")), ("richting", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("hoger", "lager", "gelijk") }),
                    ("beoordeling", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("beter", "slechter", "gelijk", "neutraal") }),
                    ("basis", Nullable(Number())), ("scenario", Nullable(Number())), ("delta", Nullable(Number())), ("relatieveDelta", Nullable(Number())),
                    ("buurtenHoger", Integer()), ("buurtenLager", Integer()), ("buurtenVergeleken", Integer()),
                    ("zekerheid", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("hoog", "middel", "laag") }), ("zekerheidToelichting", Str())),
                ["Impactmatrix"] = Object(
                    ("scenario", Ref("ScenarioVerwijzing")), ("seed", Integer()), ("resultaathash", Ref("Resultaathash")), ("drempel", Number()),
                    ("domeinen", new JsonObject
                    {
                        ["type"] = "array",
                        ["items"] = Object(("domein", Str()), ("beweegt", new JsonObject { ["type"] = "boolean" }), ("indicatorenInBeweging", Integer()), ("indicatoren", ArrayOf("Impactcel"))),
                    }),
                    ("links", Ref("Resultaatlinks"))),
                ["Scenariovergelijking"] = Object(
                    ("a", Ref("ScenarioVerwijzing")), ("b", Ref("ScenarioVerwijzing")), ("peildatum", Str("date")), ("seed", Integer()),
                    ("resultaathashA", Ref("Resultaathash")), ("resultaathashB", Ref("Resultaathash")), ("indicatoren", ArrayOf("Resultaatindicator")),
                    ("waarden", new JsonObject
                    {
                        ["type"] = "array",
                        ["items"] = Object(("indicator", Str()), ("gebied", Str()), ("basis", Nullable(Number())), ("a", Nullable(Number())), ("b", Nullable(Number())),
                            ("deltaA", Nullable(Number())), ("deltaB", Nullable(Number())), ("verschilBA", Nullable(Number()))),
                    }),
                    ("self", Ref("Link"))),
                ["Agent"] = Object(("naam", Str()), ("uri", Str("uri"))),
                ["Contactpunt"] = Object(("naam", Str()), ("email", Str("email"))),
                ["Dataset"] = Object(
                    ("id", Str()), ("titel", Str()), ("beschrijving", Str()), ("uitgever", Ref("Agent")), ("maker", Ref("Agent")),
                    ("contactpunt", Ref("Contactpunt")), ("themas", new JsonObject { ["type"] = "array", ["items"] = Str("uri") }),
                    ("classificatie", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("open", "intern", "vertrouwelijk", "bijzondere-persoonsgegevens") }),
                    ("toegangsrechten", Str("uri")), ("wettelijkeGrondslag", Str()), ("doelen", new JsonObject { ["type"] = "array", ["items"] = Str() }),
                    ("licentie", Str("uri")), ("gewijzigd", Str("date-time")), ("updatefrequentie", Str("uri")), ("gebied", Str()),
                    ("herkomst", Str()), ("synthetisch", new JsonObject { ["type"] = "boolean" }), ("links", Object(("self", Ref("Link"))))),
                ["Gebied"] = Object(
                    ("code", Str()), ("naam", Str()), ("niveau", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("gemeente", "wijk", "buurt") }),
                    ("bovenliggendGebied", Str()), ("peildatum", Str("date")), ("indicatoren", ArrayOf("Indicatorwaarde")),
                    ("links", Object(("self", Ref("Link")), ("geometrie", Ref("Link"))))),
                ["Indicatorwaarde"] = Object(("code", Str()), ("naam", Str()), ("waarde", new JsonObject { ["type"] = "number", ["nullable"] = true }), ("eenheid", Str()), ("peildatum", Str("date"))),
                ["Liveobservatie"] = Object(("datastream", new JsonObject { ["type"] = "integer" }), ("observatie", new JsonObject { ["type"] = "integer" }),
                    ("tijdstip", Str("date-time")), ("resultaat", new JsonObject { ["type"] = "number", ["nullable"] = true }), ("link", Str("uri"))),
                ["Drempel"] = Object(
                    ("id", Integer()), ("datastream", Integer()), ("naam", Str()),
                    ("conditie", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("boven", "onder", "gelijk") }),
                    ("waarde", new JsonObject { ["type"] = "number" }), ("herstelwaarde", new JsonObject { ["type"] = "number" }), ("ernst", Ernst()),
                    ("links", Object(("self", Ref("Link")), ("datastream", Ref("Link")), ("alarmen", Ref("Link"))))),
                ["Aggregaat"] = Object(("begin", Str("date-time")), ("aantal", Integer()), ("min", Number()), ("max", Number()), ("gemiddelde", Number())),
                ["Aggregaten"] = Object(
                    ("sensor", Integer()), ("reeks", Integer()), ("interval", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("uur", "dag") }),
                    ("van", Str("date-time")), ("tot", Str("date-time")), ("eenheid", Str()), ("aggregaten", ArrayOf("Aggregaat")),
                    ("links", Object(("self", Ref("Link")), ("datastream", Ref("Link"))))),
                ["Alarmwaarneming"] = Object(("observatie", Integer()), ("tijdstip", Str("date-time")), ("resultaat", new JsonObject { ["type"] = "number" }), ("link", Str("uri"))),
                ["Alarm"] = Object(
                    ("id", Integer()), ("drempel", Integer()), ("datastream", Integer()), ("naam", Str()), ("ernst", Ernst()),
                    ("status", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("actief", "opgeheven") }),
                    ("oorzaak", Ref("Alarmwaarneming")), ("gemeldOp", Str("date-time")),
                    ("herstel", new JsonObject { ["allOf"] = new JsonArray(Ref("Alarmwaarneming")), ["nullable"] = true }),
                    ("opgehevenOp", new JsonObject { ["type"] = "string", ["format"] = "date-time", ["nullable"] = true }),
                    ("links", Object(("self", Ref("Link")), ("drempel", Ref("Link"))))),
                ["Algoritme"] = Object(
                    ("id", Str()), ("naam", Str()), ("korteOmschrijving", Str()),
                    ("status", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("In ontwikkeling", "In gebruik", "Buiten gebruik") }),
                    ("publicatiecategorie", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("Hoog-risico AI-systeem", "Impactvolle algoritmes", "Overige algoritmes") }),
                    ("ingeschakeld", new JsonObject { ["type"] = "boolean" }), ("belemmeringen", new JsonObject { ["type"] = "array", ["items"] = Str() }),
                    ("vereisteBeoordelingen", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("dpia", "iama", "ethische-commissie") } }),
                    ("toelichtingBeoordelingen", Str()),
                    ("registratie", new JsonObject { ["type"] = "object", ["description"] = "De volledige registratie met de veldnamen van de publicatiestandaard v1.0.0" }),
                    ("links", Object(("self", Ref("Link")), ("beoordelingen", Ref("Link"))))),
                ["Beoordelaar"] = Object(("id", Str()), ("rol", Str())),
                ["Beoordeling"] = Object(
                    ("id", Integer()), ("soort", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("dpia", "iama", "ethische-commissie") }),
                    ("onderwerp", Str()),
                    ("status", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("concept", "in-behandeling", "goedgekeurd", "afgewezen", "ingetrokken") }),
                    ("beoordelaars", ArrayOf("Beoordelaar")), ("voorwaarden", new JsonObject { ["type"] = "array", ["items"] = Str() }),
                    ("beantwoordeSecties", new JsonObject { ["type"] = "array", ["items"] = Str() }),
                    ("aangemaaktOp", Str("date-time")),
                    ("besluitOp", new JsonObject { ["type"] = "string", ["format"] = "date-time", ["nullable"] = true }),
                    ("geldigTot", new JsonObject { ["type"] = "string", ["format"] = "date", ["nullable"] = true }),
                    ("links", Object(("self", Ref("Link"))))),
                ["Auditrecord"] = Object(
                    ("volgnummer", Integer()), ("tijdstip", Str("date-time")),
                    ("pseudoniem", new JsonObject { ["type"] = "string", ["nullable"] = true }),
                    ("rol", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. RoleNames.All.Select(r => (JsonNode)r)]) }),
                    ("doel", new JsonObject { ["type"] = "string", ["nullable"] = true }),
                    ("actie", Str()), ("bron", Str()), ("omvang", Integer()), ("eenheid", Str()), ("uitkomst", Str()),
                    ("hash", new JsonObject { ["type"] = "string", ["description"] = "De ketenhash tot en met dit record (SHA-256, hex)" })),
                ["Zoekresultaat"] = Object(
                    ("type", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("gemeente", "wijk", "buurt", "straat", "voorziening", "beheerobject", "sensor", "adres") }),
                    ("label", Str()), ("collectie", Str()), ("id", Str()),
                    ("punt", NumberArray("[lengtegraad, breedtegraad] in CRS84")), ("bbox", NumberArray("[min. lengtegraad, min. breedtegraad, max. lengtegraad, max. breedtegraad] in CRS84"))),
                ["Herkomst"] = Object(
                    ("collectie", Str()), ("id", Str()), ("dataset", Nullable(Str())), ("datasetTitel", Nullable(Str())), ("eigenaar", Nullable(Str())), ("maker", Nullable(Str())),
                    ("bron", Nullable(Str())), ("laatstBijgewerkt", Nullable(Str("date-time"))), ("geldigVanaf", Nullable(Str("date-time"))),
                    ("classificatie", Nullable(Str())), ("licentie", Nullable(Str("uri"))), ("synthetisch", Nullable(new JsonObject { ["type"] = "boolean" })),
                    ("links", Object(("self", Ref("Link")), ("feature", Ref("Link")), ("dataset", Ref("Link"))))),
                ["Kengetal"] = Object(
                    ("code", Str()), ("naam", Str()), ("thema", Str()), ("eenheid", Str()), ("bronnen", new JsonObject { ["type"] = "array", ["items"] = Str() }),
                    ("classificatie", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("open", "intern", "vertrouwelijk", "bijzondere-persoonsgegevens") }),
                    ("beschermd", new JsonObject { ["type"] = "boolean" })),
                ["Dashboard"] = Object(
                    ("dashboard", Str()), ("titel", Str()), ("peildatum", Str("date")), ("kengetallen", ArrayOf("Kengetal")),
                    ("gebieden", new JsonObject
                    {
                        ["type"] = "array",
                        ["items"] = Object(("code", Str()), ("naam", Str()), ("niveau", Str()),
                            ("waarden", new JsonObject { ["type"] = "object", ["description"] = "Per kengetalcode de waarde; null als die is onderdrukt of onbekend", ["additionalProperties"] = new JsonObject { ["type"] = "number", ["nullable"] = true } })),
                    })),
                ["Indicator"] = Object(("code", Str()), ("naam", Str()), ("beschrijving", Str()), ("eenheid", Str()), ("bronDataset", Str()), ("methode", Str()),
                    ("persoonsgegevens", new JsonObject { ["type"] = "boolean" })),
                ["Sessie"] = Object(
                    ("token", new JsonObject { ["type"] = "string", ["description"] = "Het geheim van het API-token, mee te sturen als 'Authorization: Bearer …'; alleen in dit antwoord" }),
                    ("id", Str()), ("verlooptOp", Str("date-time"))),
                ["Ik"] = Object(
                    ("rol", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. RoleNames.All.Select(r => (JsonNode)r)]) }),
                    ("aangemeld", new JsonObject { ["type"] = "boolean" }),
                    ("pseudoniem", new JsonObject { ["type"] = "string", ["nullable"] = true }),
                    ("doel", new JsonObject { ["type"] = "string", ["nullable"] = true })),
                ["Problem"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "RFC 9457 problem details",
                    ["required"] = new JsonArray("status", "title", "detail"),
                    ["properties"] = new JsonObject
                    {
                        ["type"] = Str("uri-reference"),
                        ["title"] = Str(),
                        ["status"] = new JsonObject { ["type"] = "integer" },
                        ["detail"] = Str(),
                        ["instance"] = Str("uri-reference"),
                    },
                },
            },
        },
    };

    private static JsonObject Get(string operationId, string summary, JsonObject ok, params JsonObject[] parameters)
    {
        var responses = new JsonObject
        {
            ["200"] = ok,
            ["400"] = Problem("Ongeldige of onbekende parameter, of een doel (X-Tweeling-Doel) langer dan " + Authentication.MaxPurposeLength + " tekens"),
            ["401"] = Problem("Meegestuurde inloggegevens niet geaccepteerd (API-token, gebruikersnaam en wachtwoord, of token van de identity provider)"),
            ["404"] = Problem("Niet gevonden"),
            ["429"] = TooManyRequests(),
            ["500"] = Problem("Interne fout"),
        };
        var operation = new JsonObject { ["operationId"] = operationId, ["summary"] = summary, ["responses"] = responses };
        if (parameters.Length > 0)
        {
            operation["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode)p)]);
        }

        return new JsonObject { ["get"] = operation };
    }

    /// <summary>
    /// A write operation with a JSON body: <paramref name="success"/> on <paramref name="status"/>, 400 for a body that
    /// breaks the rules (nothing is stored), 401/403 by role, 404 for an unknown id, 409 when the state forbids it, 413 for a
    /// body over the request limit and 429 from the rate limits.
    /// </summary>
    private static JsonObject Write(string operationId, string summary, JsonObject body, string status, JsonObject success, params JsonObject[] parameters)
    {
        var operation = new JsonObject
        {
            ["operationId"] = operationId,
            ["summary"] = summary,
            ["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = body } } },
            ["responses"] = new JsonObject
            {
                [status] = success,
                ["400"] = Problem("Ongeldige body of parameter; er is niets opgeslagen"),
                ["401"] = Problem("Aanmelden is nodig, of de inloggegevens zijn niet geaccepteerd"),
                ["403"] = Problem("De rol van de aanroeper mag dit niet"),
                ["404"] = Problem("Niet gevonden"),
                ["409"] = Problem("Dit kan in de huidige toestand niet (bijv. een vereiste beoordeling ontbreekt); er is niets gewijzigd"),
                ["413"] = Problem("De body is groter dan de grens voor verzoeken (Tweeling:Limits:MaxRequestBodyBytes); er is niets opgeslagen"),
                ["429"] = TooManyRequests(),
                ["500"] = Problem("Interne fout"),
            },
        };
        if (parameters.Length > 0)
        {
            operation["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode)p)]);
        }

        return operation;
    }

    /// <summary>
    /// <c>POST /sessies</c>: a write with no body (the caller's sign-in is all it needs), answered with the new token.
    /// </summary>
    private static JsonObject Session()
    {
        var operation = Write("postSessie", "Een kortlevend API-token (8 uur) voor de aangemelde lokale gebruiker, in ruil voor gebruikersnaam en wachtwoord; de webapplicatie stuurt daarna dit token in plaats van het wachtwoord",
            Object(), "201", Created(Ref("Sessie")));
        operation.Remove("requestBody");
        var responses = operation["responses"]!.AsObject();
        responses.Remove("404");
        responses.Remove("409");
        responses["403"] = Problem("Een aanroeper van de identity provider gebruikt het token van de provider; een sessie is voor lokale accounts");
        return operation;
    }

    /// <summary><c>DELETE /sessies/{id}</c>: signing out revokes the session's token; 404 for a session not of the caller.</summary>
    private static JsonObject EndSession()
    {
        var operation = Write("deleteSessie", "Een sessie van de aangemelde gebruiker beëindigen (uitloggen): het token wordt ingetrokken",
            Object(), "204", new JsonObject
            {
                ["description"] = "Beëindigd",
                ["headers"] = new JsonObject { ["API-Version"] = new JsonObject { ["$ref"] = "#/components/headers/API-Version" } },
            },
            PathParameter("id", "De id van de sessie (het API-token)"));
        operation.Remove("requestBody");
        var responses = operation["responses"]!.AsObject();
        responses.Remove("409");
        responses.Remove("413");
        responses["404"] = Problem("Geen open sessie van de aangemelde gebruiker met deze id");
        return operation;
    }

    /// <summary>The body of a scenario create or update.</summary>
    private static JsonObject ScenarioBody() => Object(
        ("naam", Str()), ("beschrijving", Str()), ("peildatum", Str("date")), ("ingrepen", ArrayOf("Ingreep")));

    /// <summary><c>DELETE /scenarios/{id}</c>: removes the scenario with every version.</summary>
    private static JsonObject DeleteScenario()
    {
        var operation = Write("deleteScenario", "Een scenario met al zijn versies verwijderen (analist, beheerder)",
            Object(), "204", new JsonObject
            {
                ["description"] = "Verwijderd",
                ["headers"] = new JsonObject { ["API-Version"] = new JsonObject { ["$ref"] = "#/components/headers/API-Version" } },
            },
            PathParameter("id", "De id van het scenario"));
        operation.Remove("requestBody");
        var responses = operation["responses"]!.AsObject();
        responses.Remove("409");
        responses.Remove("413");
        return operation;
    }

    /// <summary>
    /// <c>POST …/doorrekening</c>: runs a scenario version, no body; 201 for a new run (Location = its results), 200 when
    /// it had run. 413 stays documented: Kestrel refuses an oversized body before the handler, whatever it reads.
    /// </summary>
    private static JsonObject RunScenario()
    {
        var operation = Write("postScenarioDoorrekening", "Een scenarioversie doorrekenen (analist, beheerder): basis en scenario met alle modellen; samenvatting met de waarden voor de hele gemeente",
            Object(), "201", Created(Ref("Doorrekening")), VersionParameters());
        operation.Remove("requestBody");
        var responses = operation["responses"]!.AsObject();
        responses["200"] = Ok(Ref("Doorrekening"));
        responses["409"] = NotRunnable();
        return operation;
    }

    /// <summary>A results read runs the version when it has not run: 409 when the version does not fit the city at its reference date.</summary>
    private static JsonObject Runs(JsonObject pathItem)
    {
        pathItem["get"]!["responses"]!["409"] = NotRunnable();
        return pathItem;
    }

    private static JsonObject NotRunnable() => Problem("De scenarioversie past niet op de stad van haar peildatum (een voorziening of wegvak bestond toen niet); er is niets berekend");

    /// <summary>The results as JSON or as GeoJSON of the buurten.</summary>
    private static JsonObject ScenarioResultsOk()
    {
        var ok = Ok(Ref("Scenarioresultaten"));
        ok["content"]![Dashboards.GeoJsonMediaType] = new JsonObject
        {
            ["schema"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "FeatureCollection in CRS84; per buurt de eigenschappen gebied, naam en per indicator '{id}.basis', '{id}.scenario', '{id}.delta' en '{id}.relatieveDelta'",
            },
        };
        return ok;
    }

    /// <summary>The path parameters of a scenario version and the seed.</summary>
    private static JsonObject[] VersionParameters() =>
        [PathParameter("id", "De id van het scenario"), PathParameter("versie", "Het versienummer, vanaf 1"), SeedParameter()];

    private static JsonObject SeedParameter() => QueryParameter("seed", $"De seed van de doorrekening (standaard {ScenarioResults.DefaultSeed}); dezelfde versie en seed geven altijd dezelfde uitkomst",
        new JsonObject { ["type"] = "integer", ["minimum"] = 0 });

    private static JsonObject IndicatorParameter() => QueryParameter("indicator", "Alleen deze indicatoren (ids, gescheiden door komma's)", Str());

    private static JsonObject GebiedParameter() => QueryParameter("gebied", "Alleen deze gebieden (buurtcodes BU… of de gemeentecode GM…, gescheiden door komma's)", Str());

    private static JsonObject Number() => new() { ["type"] = "number" };

    private static JsonObject NullableNumbers() => new() { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number", ["nullable"] = true } };

    private static JsonObject StringMap() => new() { ["type"] = "object", ["additionalProperties"] = Str() };

    /// <summary>A 201 with the new resource's URL in <c>Location</c>.</summary>
    private static JsonObject Created(JsonObject schema)
    {
        var created = Ok(schema);
        created["description"] = "Aangemaakt";
        created["headers"]!["Location"] = new JsonObject { ["description"] = "De URL van de nieuwe resource", ["schema"] = Str("uri") };
        return created;
    }

    /// <summary>Adds <paramref name="operation"/> under <paramref name="method"/> to the path item <paramref name="pathItem"/>.</summary>
    private static JsonObject With(this JsonObject pathItem, string method, JsonObject operation)
    {
        pathItem[method] = operation;
        return pathItem;
    }

    /// <summary>A role-bound operation: a signed-in caller whose role may not use it gets 403.</summary>
    private static JsonObject Forbidden(JsonObject pathItem)
    {
        foreach (var (_, operation) in pathItem)
        {
            operation!["responses"]!["403"] = Problem("De rol van de aanroeper mag dit niet");
        }

        return pathItem;
    }

    private static JsonObject Ok(JsonObject schema, string mediaType = "application/json") => new()
    {
        ["description"] = "OK",
        ["headers"] = new JsonObject { ["API-Version"] = new JsonObject { ["$ref"] = "#/components/headers/API-Version" } },
        ["content"] = new JsonObject { [mediaType] = new JsonObject { ["schema"] = schema } },
    };

    /// <summary>A list response that may be one page of several: the next page in an RFC 8288 <c>Link</c> header.</summary>
    private static JsonObject WithNextLink(JsonObject ok)
    {
        ok["headers"]!["Link"] = new JsonObject
        {
            ["description"] = "Bij een volle pagina de volgende: <…>; rel=\"next\" (RFC 8288)",
            ["schema"] = Str(),
        };
        return ok;
    }

    private static JsonObject Problem(string description) => new()
    {
        ["description"] = description,
        ["headers"] = new JsonObject { ["API-Version"] = new JsonObject { ["$ref"] = "#/components/headers/API-Version" } },
        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = Ref("Problem") } },
    };

    /// <summary>
    /// 429 from the rate limits (<see cref="RequestLimits"/>): per client address for anonymous callers and refused
    /// credentials, per account once signed in; for <c>/live</c> also the cap on open streams per address.
    /// </summary>
    private static JsonObject TooManyRequests()
    {
        var problem = Problem("Te veel verzoeken: per adres zonder aanmelding (ook met niet-geaccepteerde inloggegevens), per account na aanmelding, of te veel open live-streams vanaf één adres");
        problem["headers"]!["Retry-After"] = new JsonObject
        {
            ["description"] = "Na hoeveel seconden een nieuw verzoek weer kan (RFC 9110 §10.2.3)",
            ["schema"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
        };
        return problem;
    }

    private static JsonObject PathParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = Str(),
    };

    private static JsonObject QueryParameter(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = schema,
    };

    private static JsonObject RequiredQueryParameter(string name, string description, JsonObject schema)
    {
        var parameter = QueryParameter(name, description, schema);
        parameter["required"] = true;
        return parameter;
    }

    private static JsonObject FormaatParameter() =>
        QueryParameter("formaat", "json (standaard), csv of geojson; ook te kiezen met de Accept-header (text/csv, application/geo+json)",
            new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("json", "csv", "geojson") });

    /// <summary>A dashboard: JSON, or the same figures exported as CSV or GeoJSON.</summary>
    private static JsonObject Dashboard()
    {
        var ok = Ok(Ref("Dashboard"));
        ok["content"]![Dashboards.CsvMediaType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["description"] = "RFC 4180: code, naam, niveau en per kengetal een kolom; een lege cel is onderdrukt of onbekend" } };
        ok["content"]![Dashboards.GeoJsonMediaType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object", ["description"] = "GeoJSON FeatureCollection in CRS84 met de kengetallen als eigenschappen en hun bronnen in 'kengetallen'" } };
        return ok;
    }

    private static JsonObject NumberArray(string description) => new() { ["type"] = "array", ["description"] = description, ["items"] = new JsonObject { ["type"] = "number" } };

    private static JsonObject Nullable(JsonObject schema)
    {
        schema["nullable"] = true;
        return schema;
    }

    private static JsonObject LimitParameter(string what, int max, int fallback) =>
        QueryParameter("limit", $"Hoogstens zoveel {what} (1 tot {max}; standaard {fallback})", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = max });

    private static JsonObject OffsetParameter(string what) =>
        QueryParameter("offset", $"Sla zoveel {what} over", new JsonObject { ["type"] = "integer", ["minimum"] = 0 });

    private static JsonObject PeildatumParameter() =>
        QueryParameter("peildatum", "De datum waarop de tweeling getoond wordt (yyyy-MM-dd); standaard vandaag", Str("date"));

    private static JsonObject Integer() => new() { ["type"] = "integer" };

    private static JsonObject Ernst() => new() { ["type"] = "string", ["enum"] = new JsonArray("informatie", "waarschuwing", "kritiek") };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };

    private static JsonObject ArrayOf(string schema) => new() { ["type"] = "array", ["items"] = Ref(schema) };

    private static JsonObject Str(string? format = null) =>
        format is null ? new JsonObject { ["type"] = "string" } : new JsonObject { ["type"] = "string", ["format"] = format };

    private static JsonObject Object(params (string Name, JsonObject Schema)[] properties) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject([.. properties.Select(p => new KeyValuePair<string, JsonNode?>(p.Name, p.Schema))]),
    };
}
