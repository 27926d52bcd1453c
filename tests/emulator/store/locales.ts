import type { SeedLocale } from "./types";

/** Where a seeded customer lives: enough to write a believable postal address and phone number. */
export interface SeedCountry {
  code: string;
  name: string;
  /** E.164 prefix plus the national digits that mobile numbers start with. */
  mobilePrefix: string;
  mobileDigits: number;
  cities: { city: string; province: string | null; provinceCode: string | null; zip: string }[];
  street: (n: number, pick: <T>(list: readonly T[]) => T) => string;
  carriers: string[];
}

export interface SeedLanguage {
  locale: SeedLocale;
  weight: number;
  firstNames: readonly string[];
  lastNames: readonly string[];
  countries: readonly SeedCountry[];
}

const KENYA: SeedCountry = {
  code: "KE",
  name: "Kenya",
  mobilePrefix: "+2547",
  mobileDigits: 8,
  cities: [
    { city: "Nairobi", province: "Nairobi", provinceCode: null, zip: "00100" },
    { city: "Mombasa", province: "Mombasa", provinceCode: null, zip: "80100" },
    { city: "Kisumu", province: "Kisumu", provinceCode: null, zip: "40100" },
    { city: "Nakuru", province: "Nakuru", provinceCode: null, zip: "20100" },
  ],
  street: (n, pick) => `${pick(["Moi Avenue", "Kenyatta Avenue", "Ngong Road", "Oginga Odinga Street", "Biashara Street"])} ${n}`,
  carriers: ["G4S Courier", "Aramex"],
};

const TANZANIA: SeedCountry = {
  code: "TZ",
  name: "Tanzania",
  mobilePrefix: "+2557",
  mobileDigits: 8,
  cities: [
    { city: "Dar es Salaam", province: "Dar es Salaam", provinceCode: null, zip: "11101" },
    { city: "Arusha", province: "Arusha", provinceCode: null, zip: "23101" },
    { city: "Zanzibar", province: "Mjini Magharibi", provinceCode: null, zip: "71101" },
  ],
  street: (n, pick) => `${pick(["Samora Avenue", "Uhuru Street", "Sokoine Road", "Mtaa wa Jamhuri"])} ${n}`,
  carriers: ["DHL Express", "Aramex"],
};

const ESTONIA: SeedCountry = {
  code: "EE",
  name: "Estonia",
  mobilePrefix: "+3725",
  mobileDigits: 7,
  cities: [
    { city: "Tallinn", province: "Harju maakond", provinceCode: null, zip: "10115" },
    { city: "Tartu", province: "Tartu maakond", provinceCode: null, zip: "51003" },
    { city: "Pärnu", province: "Pärnu maakond", provinceCode: null, zip: "80010" },
    { city: "Viljandi", province: "Viljandi maakond", provinceCode: null, zip: "71020" },
  ],
  street: (n, pick) => `${pick(["Narva mnt", "Pärnu mnt", "Tartu mnt", "Rüütli tn", "Riia tn", "Kalevi tn"])} ${n}`,
  carriers: ["Omniva", "DPD"],
};

const INDIA: SeedCountry = {
  code: "IN",
  name: "India",
  mobilePrefix: "+919",
  mobileDigits: 9,
  cities: [
    { city: "Chennai", province: "Tamil Nadu", provinceCode: "TN", zip: "600002" },
    { city: "Coimbatore", province: "Tamil Nadu", provinceCode: "TN", zip: "641001" },
    { city: "Madurai", province: "Tamil Nadu", provinceCode: "TN", zip: "625001" },
    { city: "Tiruchirappalli", province: "Tamil Nadu", provinceCode: "TN", zip: "620001" },
  ],
  street: (n, pick) => `${n}, ${pick(["Anna Salai", "Gandhi Road", "Nehru Street", "Kamarajar Salai", "Bharathi Street"])}`,
  carriers: ["India Post", "Blue Dart"],
};

const SRI_LANKA: SeedCountry = {
  code: "LK",
  name: "Sri Lanka",
  mobilePrefix: "+947",
  mobileDigits: 8,
  cities: [
    { city: "Jaffna", province: "Northern Province", provinceCode: null, zip: "40000" },
    { city: "Colombo", province: "Western Province", provinceCode: null, zip: "00300" },
  ],
  street: (n, pick) => `${n} ${pick(["Hospital Road", "Kasthuriyar Road", "Galle Road", "Stanley Road"])}`,
  carriers: ["DHL Express"],
};

const ROMANIA: SeedCountry = {
  code: "RO",
  name: "Romania",
  mobilePrefix: "+407",
  mobileDigits: 8,
  cities: [
    { city: "București", province: "București", provinceCode: "B", zip: "010011" },
    { city: "Cluj-Napoca", province: "Cluj", provinceCode: "CJ", zip: "400001" },
    { city: "Iași", province: "Iași", provinceCode: "IS", zip: "700028" },
    { city: "Timișoara", province: "Timiș", provinceCode: "TM", zip: "300001" },
    { city: "Brașov", province: "Brașov", provinceCode: "BV", zip: "500001" },
  ],
  street: (n, pick) => `${pick(["Strada Victoriei", "Bulevardul Unirii", "Strada Mihai Eminescu", "Calea Dorobanților", "Strada Republicii"])} ${n}`,
  carriers: ["Fan Courier", "Sameday"],
};

const TURKEY: SeedCountry = {
  code: "TR",
  name: "Türkiye",
  mobilePrefix: "+905",
  mobileDigits: 9,
  cities: [
    { city: "İstanbul", province: "İstanbul", provinceCode: "TR-34", zip: "34710" },
    { city: "Ankara", province: "Ankara", provinceCode: "TR-06", zip: "06420" },
    { city: "İzmir", province: "İzmir", provinceCode: "TR-35", zip: "35210" },
    { city: "Bursa", province: "Bursa", provinceCode: "TR-16", zip: "16010" },
    { city: "Antalya", province: "Antalya", provinceCode: "TR-07", zip: "07100" },
  ],
  street: (n, pick) => `${pick(["Atatürk Cd.", "Cumhuriyet Cd.", "İstiklal Cd.", "Bağdat Cd.", "Gazi Mustafa Kemal Blv."])} No:${n}`,
  carriers: ["Yurtiçi Kargo", "Aras Kargo", "PTT Kargo"],
};

const UNITED_KINGDOM: SeedCountry = {
  code: "GB",
  name: "United Kingdom",
  mobilePrefix: "+447",
  mobileDigits: 9,
  cities: [
    { city: "Manchester", province: "England", provinceCode: "ENG", zip: "M1 1AE" },
    { city: "Bristol", province: "England", provinceCode: "ENG", zip: "BS1 4DJ" },
    { city: "Edinburgh", province: "Scotland", provinceCode: "SCT", zip: "EH1 1YZ" },
  ],
  street: (n, pick) => `${n} ${pick(["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue"])}`,
  carriers: ["Royal Mail", "DPD"],
};

const UNITED_STATES: SeedCountry = {
  code: "US",
  name: "United States",
  // 555-0100 to 555-0199 are reserved for fiction.
  mobilePrefix: "+150355501",
  mobileDigits: 2,
  cities: [
    { city: "Portland", province: "Oregon", provinceCode: "OR", zip: "97205" },
    { city: "Austin", province: "Texas", provinceCode: "TX", zip: "78701" },
    { city: "Boston", province: "Massachusetts", provinceCode: "MA", zip: "02108" },
  ],
  street: (n, pick) => `${n} ${pick(["Maple Street", "Oak Avenue", "Pine Street", "Cedar Lane", "Elm Street"])}`,
  carriers: ["UPS", "USPS"],
};

const IRELAND: SeedCountry = {
  code: "IE",
  name: "Ireland",
  mobilePrefix: "+3538",
  mobileDigits: 8,
  cities: [
    { city: "Dublin", province: "Dublin", provinceCode: "D", zip: "D02 X285" },
    { city: "Cork", province: "Cork", provinceCode: "CO", zip: "T12 RX8H" },
  ],
  street: (n, pick) => `${n} ${pick(["Main Street", "Grafton Street", "Patrick Street", "Quay Street"])}`,
  carriers: ["An Post", "DPD"],
};

export const SEED_LANGUAGES: readonly SeedLanguage[] = [
  {
    locale: "en",
    weight: 3,
    firstNames: ["James", "Emily", "Olivia", "Michael", "Sophie", "Daniel", "Grace", "Thomas", "Hannah", "Oliver", "Chloe", "Liam", "Megan", "Ryan", "Aoife", "Noah"],
    lastNames: ["Carter", "Walsh", "Bennett", "Turner", "Hughes", "Brooks", "Mitchell", "Reed", "Price", "Hayes", "Murphy", "Foster", "Gallagher", "Coleman"],
    countries: [UNITED_KINGDOM, UNITED_STATES, IRELAND],
  },
  {
    locale: "sw",
    weight: 2,
    firstNames: ["Amani", "Baraka", "Neema", "Zawadi", "Juma", "Imani", "Rehema", "Faraji", "Subira", "Jabari", "Wanjiru", "Halima", "Tumaini", "Mwajuma", "Akinyi", "Kazungu"],
    lastNames: ["Njoroge", "Mwangi", "Otieno", "Wambui", "Kamau", "Odhiambo", "Mushi", "Mrema", "Kimaro", "Achieng", "Omondi", "Kiprotich", "Mbwana", "Salim"],
    countries: [KENYA, TANZANIA],
  },
  {
    locale: "et",
    weight: 2,
    firstNames: ["Kadri", "Mart", "Liis", "Tõnu", "Kristjan", "Maarja", "Triin", "Jüri", "Katrin", "Priit", "Kätlin", "Rasmus", "Merike", "Andres", "Mihkel", "Helen"],
    lastNames: ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lepik", "Kuusk", "Oja", "Põder"],
    countries: [ESTONIA],
  },
  {
    locale: "ta",
    weight: 2,
    firstNames: ["Karthik", "Priya", "Arun", "Divya", "Senthil", "Lakshmi", "Vignesh", "Meena", "Suresh", "Kavitha", "Anand", "Revathi", "Murugan", "Deepa", "Tharshan", "Nila"],
    lastNames: ["Subramaniam", "Ramasamy", "Krishnan", "Natarajan", "Venkatesan", "Arumugam", "Pillai", "Sundaram", "Rajendran", "Balasubramanian", "Murugesan", "Chandrasekaran", "Sivakumar", "Thangaraj"],
    countries: [INDIA, INDIA, SRI_LANKA],
  },
  {
    locale: "ro",
    weight: 2,
    firstNames: ["Ioana", "Andrei", "Elena", "Mihai", "Alexandra", "Ștefan", "Maria", "Cristian", "Gabriela", "Bogdan", "Raluca", "Vlad", "Ana", "Radu", "Irina", "Tudor"],
    lastNames: ["Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Munteanu", "Constantinescu", "Rusu", "Matei", "Lungu", "Dobre", "Țurcanu"],
    countries: [ROMANIA],
  },
  {
    locale: "tr",
    weight: 2,
    firstNames: ["Elif", "Mehmet", "Ayşe", "Mustafa", "Zeynep", "Emre", "Fatma", "Burak", "Selin", "Oğuz", "Gökhan", "Büşra", "Çağla", "İbrahim", "Deniz", "Ömer"],
    lastNames: ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç"],
    countries: [TURKEY],
  },
];

const FOLD: Record<string, string> = { ı: "i", İ: "i", ş: "s", ș: "s", ţ: "t", ț: "t", ğ: "g", ç: "c", ö: "o", ü: "u", õ: "o", ä: "a", â: "a", ă: "a", î: "i" };

/** "Elif Yılmaz" → "elif.yilmaz": ASCII for the local part of an email address. */
export function emailLocalPart(first: string, last: string): string {
  const fold = (s: string) =>
    [...s.toLowerCase()]
      .map((c) => FOLD[c] ?? c)
      .join("")
      .normalize("NFD")
      .replace(/[^a-z0-9-]/g, "");
  return `${fold(first)}.${fold(last)}`;
}

/** Delivery notes customers leave at checkout, in their own language. */
export const ORDER_NOTES: Record<SeedLocale, readonly string[]> = {
  en: ["Please leave the parcel with the neighbour at number 12.", "It's a gift, please don't include the receipt."],
  sw: ["Tafadhali piga simu kabla ya kuleta mzigo.", "Ni zawadi, tafadhali usiweke risiti ndani."],
  et: ["Palun jätke pakk naabrile.", "See on kingitus, palun ärge lisage arvet."],
  ta: ["தயவுசெய்து மாலையில் டெலிவரி செய்யவும்.", "இது ஒரு பரிசு, ரசீதை சேர்க்க வேண்டாம்."],
  ro: ["Vă rog să sunați înainte de livrare.", "Este un cadou, vă rog nu includeți factura."],
  tr: ["Lütfen teslimattan önce arayın.", "Bu bir hediye, lütfen faturayı koymayın."],
};
