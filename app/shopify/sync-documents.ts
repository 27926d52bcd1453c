/**
 * Admin GraphQL documents of the customer and order sync (app/services/sync). The same
 * selections serve the bulk export, the reconciliation pages and single-record refreshes,
 * so every path stores the same fields. Each string starts with `#graphql` so the test
 * suite validates it against Shopify's schema.
 */

const CUSTOMER_FIELDS = `
  id
  firstName
  lastName
  locale
  tags
  state
  numberOfOrders
  amountSpent { amount currencyCode }
  defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
  defaultPhoneNumber { phoneNumber }
  createdAt
  updatedAt
`;

const ORDER_FIELDS = `
  id
  name
  number
  email
  phone
  customerLocale
  tags
  displayFinancialStatus
  displayFulfillmentStatus
  currencyCode
  totalPriceSet { shopMoney { amount currencyCode } }
  processedAt
  cancelledAt
  cancelReason
  closedAt
  createdAt
  updatedAt
  customer { id }
`;

const LINE_ITEM_FIELDS = `
  id
  title
  variantTitle
  sku
  quantity
  originalUnitPriceSet { shopMoney { amount } }
`;

const FULFILLMENT_ORDER_FIELDS = `
  id
  orderId
  status
  requestStatus
  fulfillAt
  fulfillBy
  updatedAt
  fulfillmentHolds { reason reasonNotes }
`;

const FULFILLMENT_FIELDS = `
  id
  name
  status
  displayStatus
  trackingInfo { company number url }
  estimatedDeliveryAt
  inTransitAt
  deliveredAt
  createdAt
  updatedAt
`;

/** Bulk export of every customer: one JSONL line per customer. */
export const BULK_CUSTOMERS_QUERY = `#graphql
  query BulkCustomers {
    customers {
      edges { node { ${CUSTOMER_FIELDS} } }
    }
  }
`;

/**
 * Bulk export of every order: an order line (fulfillments inline, being a plain list) followed
 * by line-item and fulfillment-order lines that point back to it with `__parentId`.
 */
export const BULK_ORDERS_QUERY = `#graphql
  query BulkOrders {
    orders {
      edges {
        node {
          ${ORDER_FIELDS}
          fulfillments { ${FULFILLMENT_FIELDS} }
          lineItems { edges { node { ${LINE_ITEM_FIELDS} } } }
          fulfillmentOrders { edges { node { ${FULFILLMENT_ORDER_FIELDS} } } }
        }
      }
    }
  }
`;

export const BULK_RUN_QUERY_MUTATION = `#graphql
  mutation SyncBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const BULK_OPERATION_QUERY = `#graphql
  query SyncBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      fileSize
      rootObjectCount
      url
      partialDataUrl
      createdAt
      completedAt
    }
  }
`;

export const SYNC_COUNTS_QUERY = `#graphql
  query SyncCounts {
    customersCount(limit: null) { count precision }
    ordersCount(limit: null) { count precision }
  }
`;

/**
 * Page sizes, chosen so a page's requested cost stays under Shopify's 1,000-point ceiling per
 * query (a customer costs 4 points, an order with its children about 58). Orders with more
 * than ORDER_LINE_ITEMS_LIMIT items keep the rest from the bulk export and order webhooks.
 */
export const CUSTOMERS_PAGE_SIZE = 200;
export const ORDERS_PAGE_SIZE = 16;
export const ORDER_LINE_ITEMS_LIMIT = 10;
export const ORDER_CHILDREN_LIMIT = 5;
/** A single order refresh can afford every line item Shopify will page at once. */
export const REFRESH_LINE_ITEMS_LIMIT = 100;

export const CUSTOMERS_PAGE_QUERY = `#graphql
  query SyncCustomersPage($first: Int!, $after: String, $query: String) {
    customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { ${CUSTOMER_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const ORDERS_PAGE_QUERY = `#graphql
  query SyncOrdersPage($first: Int!, $after: String, $query: String, $lineItems: Int!, $children: Int!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        ${ORDER_FIELDS}
        fulfillments(first: $children) { ${FULFILLMENT_FIELDS} }
        lineItems(first: $lineItems) { nodes { ${LINE_ITEM_FIELDS} } }
        fulfillmentOrders(first: $children) { nodes { ${FULFILLMENT_ORDER_FIELDS} } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** One order, fresh: used when a webhook names an order but carries too little of it. */
export const ORDER_REFRESH_QUERY = `#graphql
  query SyncOrder($id: ID!, $lineItems: Int!, $children: Int!) {
    order(id: $id) {
      ${ORDER_FIELDS}
      fulfillments(first: $children) { ${FULFILLMENT_FIELDS} }
      lineItems(first: $lineItems) { nodes { ${LINE_ITEM_FIELDS} } }
      fulfillmentOrders(first: $children) { nodes { ${FULFILLMENT_ORDER_FIELDS} } }
    }
  }
`;

/** The order a fulfillment order belongs to (fulfillment_orders/* payloads carry ids only). */
export const FULFILLMENT_ORDER_OWNER_QUERY = `#graphql
  query SyncFulfillmentOrderOwner($id: ID!) {
    fulfillmentOrder(id: $id) { id orderId }
  }
`;
