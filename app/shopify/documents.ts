/**
 * Admin GraphQL documents, one place per query. Each starts with `#graphql` so the
 * test suite can find every document in app/ and validate it against Shopify's schema.
 */
export const SHOP_PROFILE_QUERY = `#graphql
  query ShopProfile {
    shop {
      id
      name
      email
      contactEmail
      myshopifyDomain
      ianaTimezone
      currencyCode
      primaryDomain {
        url
      }
      plan {
        displayName
      }
    }
  }
`;
