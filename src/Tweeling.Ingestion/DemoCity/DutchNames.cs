namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Word lists for plausible Dutch place and street names. Dutch neighbourhoods are often named by a theme
/// (birds, trees, painters, …), so every wijk draws its buurt and street names from one theme. Words are
/// stems that read naturally with a suffix: "Merel" + "straat", "Nijverheids" + "weg".
/// </summary>
internal static class DutchNames
{
    public static readonly string[] CentreTheme =
        ["Voor", "Wijn", "Vis", "Kerk", "Hoog", "Nieuw", "Molen", "Brouwers", "Kuipers", "Lange", "Korte", "Groene",
         "Kalk", "Pelser", "Zout", "Boom", "Lakenkopers", "Tol", "Steiger", "Bagijne"];

    public static readonly string[] IndustryTheme =
        ["Nijverheids", "Handels", "Ambachts", "Industrie", "Transport", "Werf", "Dok", "Haven", "Energie", "Techniek",
         "Staal", "Sluis", "Kraan", "Loods"];

    public static readonly string[] RuralTheme =
        ["Polder", "Molen", "Kreek", "Weide", "Hoeve", "Gors", "Waard", "Riet", "Biezen", "Griend", "Kil", "Zuid",
         "Noord", "Oost", "West", "Hooi"];

    public static readonly string[][] ResidentialThemes =
    [
        ["Merel", "Lijster", "Spreeuw", "Zwaluw", "Reiger", "Kievit", "Meeuw", "Fuut", "Koekoek", "Specht", "Vink",
         "Roodborst", "Grutto", "Kwartel", "Wielewaal", "Pauw"],
        ["Eiken", "Beuken", "Linden", "Essen", "Iepen", "Wilgen", "Berken", "Elzen", "Populieren", "Kastanje",
         "Platanen", "Hazelaar", "Meidoorn", "Vlier", "Lariks", "Ceder"],
        ["Rozen", "Tulp", "Narcis", "Hyacint", "Anjer", "Lelie", "Iris", "Dahlia", "Krokus", "Violier", "Seringen",
         "Jasmijn", "Klaproos", "Lavendel", "Goudsbloem", "Zonnebloem"],
        ["Rembrandt", "Vermeer", "Frans Hals", "Jan Steen", "Cuyp", "Van Goyen", "Ruysdael", "Hobbema", "Breitner",
         "Mesdag", "Maris", "Mauve", "Potter", "Ter Borch", "Bol", "Maes"],
        ["Sweelinck", "Bach", "Mozart", "Beethoven", "Chopin", "Schubert", "Haydn", "Händel", "Mahler", "Ravel",
         "Grieg", "Vivaldi", "Verdi", "Brahms", "Wagner", "Diepenbrock"],
        ["Robijn", "Smaragd", "Saffier", "Diamant", "Parel", "Topaas", "Opaal", "Jade", "Amethist", "Granaat",
         "Koraal", "Barnsteen", "Kristal", "Agaat", "Onyx", "Turkoois"],
        ["Vondel", "Bredero", "Hooft", "Multatuli", "Cats", "Bilderdijk", "Potgieter", "Tollens", "Beets",
         "Huygens", "Van Lennep", "Da Costa", "Staring", "Gorter", "Perk", "Kloos"],
        ["Maas", "Waal", "Lek", "IJssel", "Linge", "Merwede", "Dommel", "Vecht", "Amstel", "Eem", "Berkel", "Dinkel",
         "Regge", "Roer", "Geul", "Zaan"],
        ["Texel", "Vlieland", "Terschelling", "Ameland", "Schiermonnikoog", "Marken", "Urk", "Schokland",
         "Tholen", "Goeree", "Voorne", "Walcheren", "Schouwen", "Duiveland", "Rottum", "Griend"],
        ["Orion", "Mercurius", "Venus", "Jupiter", "Saturnus", "Pegasus", "Andromeda", "Sirius", "Vega", "Polaris",
         "Cassiopeia", "Perseus", "Hercules", "Lyra", "Draco", "Cygnus"],
    ];

    public static readonly string[] PostWarWijkNames =
        ["Noordhoven", "Oostwaarden", "Krommeveld", "Lindenhof", "Merwehoek", "Schildwijk", "Wielhoven", "Oranjewijk"];

    public static readonly string[] SuburbWijkNames =
        ["Molenvliet", "Rietbroek", "Waterrijk", "Hofstede", "Dijkzicht", "Zuiderpark", "Sterrenwaard", "Groenendaal",
         "Weidevelde"];

    public static readonly string[] IndustryWijkNames = ["Havenkwartier", "Dokpolder", "Nijverwaard", "Werfhaven"];

    public static readonly string[] RuralWijkNames = ["Buitenpolder", "Kreekrijk", "Rietpolder"];

    public static readonly string[] BuurtSuffixes = ["buurt", "hof", "hoek", "veld", "park", "kwartier", "rijk", "plein"];

    public static readonly string[] StreetSuffixes = ["straat", "straat", "laan", "weg", "hof", "plein", "kade", "dreef"];

    public static readonly string[] ArterialSuffixes = ["laan", "weg", "singel", "boulevard"];

    public static readonly string[] RuralSuffixes = ["weg", "dijk", "kade", "pad"];
}
