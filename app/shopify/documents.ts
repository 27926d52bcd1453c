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
        publicDisplayName
      }
    }
  }
`;

/** The app's own installation: app-data metafields (read by the theme extension) hang on it. */
export const CURRENT_APP_INSTALLATION_QUERY = `#graphql
  query CurrentAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

/** The storefront copy as Shopify holds it now, to see whether it is there and current. */
export const STOREFRONT_COPY_QUERY = `#graphql
  query StorefrontCopy($namespace: String!, $key: String!) {
    currentAppInstallation {
      id
      metafield(namespace: $namespace, key: $key) {
        value
        updatedAt
      }
    }
  }
`;

/** Writes the storefront copy of the FAQ and contact details for the theme extension's Liquid. */
export const METAFIELDS_SET_MUTATION = `#graphql
  mutation SetAppMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Tags an order (the optional "delay-notified" tag, so the merchant sees it in Shopify's order list). */
export const TAGS_ADD_MUTATION = `#graphql
  mutation TagOrder($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;
