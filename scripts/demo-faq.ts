/**
 * The demo shop's FAQ: the questions a small shop answers most, in the six languages the desk
 * speaks. Written through the same model functions the admin uses, so it is validated and
 * published to the storefront like a merchant's own.
 */
import prisma from "../app/db.server";
import { saveArticle, saveCategory } from "../app/models/faq.server";
import { schedulePublish } from "../app/services/faq/publish.server";
import { whenNotBusy } from "./demo-busy";

type Text = { en: string; sw: string; et: string; ta: string; ro: string; tr: string };
type Article = { q: Text; a: Text };

const CATEGORIES: { handle: string; title: Text; articles: Article[] }[] = [
  {
    handle: "shipping",
    title: { en: "Shipping and delivery", sw: "Usafirishaji na uwasilishaji", et: "Saatmine ja kohaletoimetamine", ta: "அனுப்புதல் மற்றும் டெலிவரி", ro: "Livrare și expediere", tr: "Kargo ve teslimat" },
    articles: [
      {
        q: { en: "How long does delivery take?", sw: "Uwasilishaji huchukua muda gani?", et: "Kui kaua tarne aega võtab?", ta: "டெலிவரிக்கு எவ்வளவு நேரம் ஆகும்?", ro: "Cât durează livrarea?", tr: "Teslimat ne kadar sürer?" },
        a: {
          en: "We pack orders within **2 business days**. Then:\n\n- Estonia and Finland: 1–2 days\n- Rest of the EU: 3–5 days\n- Everywhere else: 5–10 days\n\nYou get an email with a tracking link as soon as your parcel leaves us.",
          sw: "Tunapakia maagizo ndani ya **siku 2 za kazi**. Kisha:\n\n- Estonia na Finland: siku 1–2\n- Nchi nyingine za EU: siku 3–5\n- Kwingineko: siku 5–10\n\nUtapokea barua pepe yenye kiungo cha kufuatilia mara kifurushi chako kinapoondoka kwetu.",
          et: "Pakime tellimused **2 tööpäeva** jooksul. Seejärel:\n\n- Eesti ja Soome: 1–2 päeva\n- Muu EL: 3–5 päeva\n- Mujale: 5–10 päeva\n\nKui pakk on teele läinud, saadame e-kirja jälgimislingiga.",
          ta: "ஆர்டர்களை **2 வேலை நாட்களுக்குள்** பேக் செய்கிறோம். பிறகு:\n\n- எஸ்டோனியா மற்றும் பின்லாந்து: 1–2 நாட்கள்\n- மற்ற ஐரோப்பிய நாடுகள்: 3–5 நாட்கள்\n- பிற இடங்கள்: 5–10 நாட்கள்\n\nஉங்கள் பார்சல் அனுப்பப்பட்டவுடன் கண்காணிப்பு இணைப்புடன் மின்னஞ்சல் வரும்.",
          ro: "Pregătim comenzile în **2 zile lucrătoare**. Apoi:\n\n- Estonia și Finlanda: 1–2 zile\n- Restul UE: 3–5 zile\n- În rest: 5–10 zile\n\nPrimești un e-mail cu link de urmărire imediat ce coletul pleacă de la noi.",
          tr: "Siparişleri **2 iş günü** içinde paketliyoruz. Ardından:\n\n- Estonya ve Finlandiya: 1–2 gün\n- Diğer AB ülkeleri: 3–5 gün\n- Diğer ülkeler: 5–10 gün\n\nKoliniz yola çıkar çıkmaz takip bağlantısı içeren bir e-posta alırsınız.",
        },
      },
      {
        q: { en: "Where is my order?", sw: "Agizo langu liko wapi?", et: "Kus mu tellimus on?", ta: "என் ஆர்டர் எங்கே?", ro: "Unde este comanda mea?", tr: "Siparişim nerede?" },
        a: {
          en: "Open the help button and choose **Track my order**: enter your order number (like #1001) and the email you ordered with. You will see its status, the tracking link and the expected delivery date.",
          sw: "Fungua kitufe cha msaada na uchague **Fuatilia agizo langu**: weka nambari ya agizo (kama #1001) na barua pepe uliyotumia kuagiza. Utaona hali yake, kiungo cha kufuatilia na tarehe inayotarajiwa ya kufika.",
          et: "Ava abinupp ja vali **Jälgi tellimust**: sisesta tellimuse number (nt #1001) ja e-post, millega tellisid. Näed tellimuse olekut, jälgimislinki ja oodatavat tarnekuupäeva.",
          ta: "உதவி பொத்தானைத் திறந்து **என் ஆர்டரைக் கண்காணி** என்பதைத் தேர்ந்தெடுங்கள்: ஆர்டர் எண்ணையும் (எ.கா. #1001) ஆர்டர் செய்த மின்னஞ்சலையும் உள்ளிடுங்கள். நிலை, கண்காணிப்பு இணைப்பு மற்றும் எதிர்பார்க்கப்படும் டெலிவரி தேதி தெரியும்.",
          ro: "Deschide butonul de ajutor și alege **Urmărește comanda**: introdu numărul comenzii (de exemplu #1001) și adresa de e-mail folosită la comandă. Vei vedea starea, linkul de urmărire și data estimată de livrare.",
          tr: "Yardım düğmesini açıp **Siparişimi takip et** seçeneğine tıklayın: sipariş numaranızı (ör. #1001) ve sipariş verdiğiniz e-postayı girin. Durumunu, takip bağlantısını ve tahmini teslim tarihini görürsünüz.",
        },
      },
      {
        q: { en: "Do you ship internationally?", sw: "Je, mnasafirisha nje ya nchi?", et: "Kas saadate ka välismaale?", ta: "வெளிநாடுகளுக்கு அனுப்புகிறீர்களா?", ro: "Livrați și în străinătate?", tr: "Yurt dışına gönderim yapıyor musunuz?" },
        a: {
          en: "Yes, to over 40 countries. Import duties outside the EU are paid by the buyer on delivery.",
          sw: "Ndiyo, kwa zaidi ya nchi 40. Ushuru wa forodha nje ya EU hulipwa na mnunuzi wakati wa kupokea.",
          et: "Jah, rohkem kui 40 riiki. Väljaspool ELi tasub tollimaksud ostja kättesaamisel.",
          ta: "ஆம், 40-க்கும் மேற்பட்ட நாடுகளுக்கு அனுப்புகிறோம். ஐரோப்பிய ஒன்றியத்திற்கு வெளியே இறக்குமதி வரியை வாங்குபவர் டெலிவரியின் போது செலுத்த வேண்டும்.",
          ro: "Da, în peste 40 de țări. În afara UE, taxele vamale sunt plătite de cumpărător la livrare.",
          tr: "Evet, 40'tan fazla ülkeye gönderiyoruz. AB dışındaki gümrük vergileri teslimatta alıcı tarafından ödenir.",
        },
      },
    ],
  },
  {
    handle: "returns",
    title: { en: "Returns and exchanges", sw: "Kurudisha na kubadilisha", et: "Tagastused ja vahetused", ta: "திருப்பி அனுப்புதல் மற்றும் மாற்றுதல்", ro: "Retururi și schimburi", tr: "İade ve değişim" },
    articles: [
      {
        q: { en: "Can I return an item?", sw: "Naweza kurudisha bidhaa?", et: "Kas saan toote tagastada?", ta: "ஒரு பொருளைத் திருப்பி அனுப்பலாமா?", ro: "Pot returna un produs?", tr: "Bir ürünü iade edebilir miyim?" },
        a: {
          en: "Yes, within **30 days** of delivery, unused and in its original packaging. Write to us with your order number and we send you a free return label.",
          sw: "Ndiyo, ndani ya **siku 30** baada ya kupokea, ikiwa haijatumika na iko kwenye kifungashio chake cha awali. Tuandikie ukitaja nambari ya agizo nasi tutakutumia lebo ya kurudisha bila malipo.",
          et: "Jah, **30 päeva** jooksul pärast kättesaamist, kasutamata ja originaalpakendis. Kirjuta meile tellimuse numbriga ja saadame tasuta tagastussildi.",
          ta: "ஆம், டெலிவரியிலிருந்து **30 நாட்களுக்குள்**, பயன்படுத்தாமல் அசல் பேக்கேஜிங்கில் இருந்தால். உங்கள் ஆர்டர் எண்ணுடன் எங்களுக்கு எழுதுங்கள், இலவச ரிட்டர்ன் லேபிளை அனுப்புவோம்.",
          ro: "Da, în **30 de zile** de la livrare, nefolosit și în ambalajul original. Scrie-ne cu numărul comenzii și îți trimitem gratuit o etichetă de retur.",
          tr: "Evet, teslimattan itibaren **30 gün** içinde, kullanılmamış ve orijinal ambalajında. Sipariş numaranızla bize yazın, ücretsiz iade etiketi gönderelim.",
        },
      },
      {
        q: { en: "When do I get my refund?", sw: "Nitarudishiwa pesa lini?", et: "Millal saan raha tagasi?", ta: "பணம் எப்போது திரும்பக் கிடைக்கும்?", ro: "Când primesc banii înapoi?", tr: "Param ne zaman iade edilir?" },
        a: {
          en: "Within **5 business days** of your return reaching us, to the card or account you paid with. Your bank may take a few more days to show it.",
          sw: "Ndani ya **siku 5 za kazi** baada ya bidhaa uliyorudisha kutufikia, kwenye kadi au akaunti uliyolipia. Benki yako inaweza kuchukua siku chache zaidi kuionyesha.",
          et: "**5 tööpäeva** jooksul pärast tagastuse meieni jõudmist, samale kaardile või kontole, millega maksid. Pangal võib selle kuvamiseks kuluda veel paar päeva.",
          ta: "திருப்பி அனுப்பிய பொருள் எங்களை அடைந்த **5 வேலை நாட்களுக்குள்**, நீங்கள் பணம் செலுத்திய அட்டை அல்லது கணக்கிற்கு. உங்கள் வங்கி அதைக் காட்ட இன்னும் சில நாட்கள் ஆகலாம்.",
          ro: "În **5 zile lucrătoare** de la primirea returului, pe cardul sau în contul cu care ai plătit. Banca ta poate avea nevoie de încă câteva zile ca să apară.",
          tr: "İadeniz bize ulaştıktan sonra **5 iş günü** içinde, ödeme yaptığınız karta veya hesaba. Bankanızın bunu göstermesi birkaç gün daha sürebilir.",
        },
      },
    ],
  },
  {
    handle: "orders",
    title: { en: "Orders and payment", sw: "Maagizo na malipo", et: "Tellimused ja maksmine", ta: "ஆர்டர்கள் மற்றும் கட்டணம்", ro: "Comenzi și plată", tr: "Siparişler ve ödeme" },
    articles: [
      {
        q: { en: "Can I change or cancel my order?", sw: "Naweza kubadilisha au kughairi agizo langu?", et: "Kas saan tellimust muuta või tühistada?", ta: "என் ஆர்டரை மாற்றலாமா அல்லது ரத்து செய்யலாமா?", ro: "Pot modifica sau anula comanda?", tr: "Siparişimi değiştirebilir veya iptal edebilir miyim?" },
        a: {
          en: "Yes, until we pack it, usually within a few hours. Use **Contact us** with your order number and what to change.",
          sw: "Ndiyo, hadi tutakapoipakia, kwa kawaida ndani ya saa chache. Tumia **Wasiliana nasi** ukitaja nambari ya agizo na unachotaka kubadilisha.",
          et: "Jah, kuni me pole seda pakkinud, tavaliselt mõne tunni jooksul. Kasuta **Võta meiega ühendust** ja lisa tellimuse number ning mida muuta.",
          ta: "ஆம், நாங்கள் பேக் செய்வதற்கு முன் வரை, பொதுவாக சில மணிநேரங்களுக்குள். ஆர்டர் எண் மற்றும் மாற்ற வேண்டியதுடன் **எங்களைத் தொடர்புகொள்ளுங்கள்** பயன்படுத்துங்கள்.",
          ro: "Da, până o împachetăm, de obicei în câteva ore. Folosește **Contactează-ne** cu numărul comenzii și ce vrei să schimbi.",
          tr: "Evet, paketlenene kadar; genellikle birkaç saat içinde. Sipariş numaranız ve değişiklikle birlikte **Bize ulaşın** bölümünü kullanın.",
        },
      },
      {
        q: { en: "Which payment methods do you accept?", sw: "Mnakubali njia gani za malipo?", et: "Milliseid makseviise te aktsepteerite?", ta: "எந்த கட்டண முறைகளை ஏற்கிறீர்கள்?", ro: "Ce metode de plată acceptați?", tr: "Hangi ödeme yöntemlerini kabul ediyorsunuz?" },
        a: {
          en: "Visa, Mastercard, American Express, PayPal, Apple Pay and Google Pay. Prices include VAT.",
          sw: "Visa, Mastercard, American Express, PayPal, Apple Pay na Google Pay. Bei zinajumuisha VAT.",
          et: "Visa, Mastercard, American Express, PayPal, Apple Pay ja Google Pay. Hinnad sisaldavad käibemaksu.",
          ta: "Visa, Mastercard, American Express, PayPal, Apple Pay மற்றும் Google Pay. விலைகளில் VAT அடங்கும்.",
          ro: "Visa, Mastercard, American Express, PayPal, Apple Pay și Google Pay. Prețurile includ TVA.",
          tr: "Visa, Mastercard, American Express, PayPal, Apple Pay ve Google Pay. Fiyatlara KDV dahildir.",
        },
      },
    ],
  },
];

/** Adds the FAQ once (a shop that has any article keeps its own). Returns the articles added. */
export async function seedDemoFaq(shop: string): Promise<number> {
  if ((await prisma.faqArticle.count({ where: { shop } })) > 0) return 0;
  let added = 0;
  for (const category of CATEGORIES) {
    const saved = await whenNotBusy(() => saveCategory(shop, null, { handle: category.handle, ...Object.fromEntries(Object.entries(category.title).map(([l, t]) => [`title_${l}`, t])) }));
    if (!("id" in saved)) throw new Error(`demo FAQ category ${category.handle}: ${JSON.stringify(saved.errors)}`);
    for (const article of category.articles) {
      const fields: Record<string, string> = { categoryId: String(saved.id), published: "on" };
      for (const [l, q] of Object.entries(article.q)) fields[`question_${l}`] = q;
      for (const [l, a] of Object.entries(article.a)) fields[`answer_${l}`] = a;
      const result = await whenNotBusy(() => saveArticle(shop, null, fields));
      if (!("id" in result)) throw new Error(`demo FAQ article "${article.q.en}": ${JSON.stringify(result.errors)}`);
      added++;
    }
  }
  await whenNotBusy(() => schedulePublish(shop));
  return added;
}
