import { cannedDefaultLanguage, cannedTicketContext, listCannedReplies } from "../../models/canned-reply.server";
import { SUPPORTED_LANGUAGES } from "./auto-ack-text";
import { formatNoticeDate } from "../delay-notices/text";
import { fillPlaceholders } from "../../utils/placeholders";
import { chooseVariant, primaryLanguage } from "./canned-variants";

/**
 * Canned replies as a ticket's reply box offers them: every language variant with this ticket's
 * placeholders filled ({{first_name}}, {{order_name}}, {{tracking_link}}, …), and the one to
 * insert (canned-variants.ts).
 */

export async function cannedRepliesForTicket(shop: string, ticketId: string) {
  const [replies, context, defaultLanguage] = await Promise.all([
    listCannedReplies(shop),
    cannedTicketContext(shop, ticketId),
    cannedDefaultLanguage(shop),
  ]);
  const shopperLanguage = primaryLanguage(context?.shopperLocale);
  const order = (locale: string) => SUPPORTED_LANGUAGES.indexOf(locale as (typeof SUPPORTED_LANGUAGES)[number]);
  return {
    shopperLanguage,
    defaultLanguage,
    replies: replies
      .map((reply) => {
        const variants = reply.variants
          .filter((v) => order(v.locale) >= 0)
          .sort((a, b) => order(a.locale) - order(b.locale))
          .map((variant) => {
            const delivery = context?.expectedDeliveryAt
              ? formatNoticeDate(context.expectedDeliveryAt, variant.locale, context.timeZone)
              : null;
            const filled = fillPlaceholders(variant.body, { ...context?.values, expected_delivery: delivery });
            return { locale: variant.locale, text: filled.text, missing: filled.missing, unknown: filled.unknown };
          });
        return {
          id: reply.id,
          title: reply.title,
          chosen: chooseVariant(
            variants.map((v) => v.locale),
            shopperLanguage,
            defaultLanguage
          ),
          variants,
        };
      })
      .filter((reply) => reply.variants.length > 0),
  };
}
