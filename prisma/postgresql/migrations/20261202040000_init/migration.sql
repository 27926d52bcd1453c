-- PostgreSQL's history starts here, whole: the schema as of SQLite's 20261202040000_search_text.
-- From here on every migration has a twin in each engine's history (npm run db:migration).
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "ianaTimezone" TEXT,
    "currencyCode" TEXT,
    "primaryLocale" TEXT,
    "scopes" TEXT,
    "scopesUpdatedAt" TIMESTAMP(3),
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "storefrontUrl" TEXT,
    "uninstalledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "webhookId" TEXT,
    "apiVersion" TEXT,
    "payload" TEXT NOT NULL,
    "triggeredAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'received',
    "error" TEXT,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookEventId" TEXT NOT NULL,
    "shopifyRequestId" TEXT,
    "customerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "ordersRequested" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "export" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "readyAt" TIMESTAMP(3),
    "deliveryEmailId" TEXT,
    "deliveryEmailBy" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "deliveredVia" TEXT,
    "deliveredTo" TEXT,
    "deliveredBy" TEXT,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "runAt" TIMESTAMP(3) NOT NULL,
    "lockedAt" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "locale" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "state" TEXT,
    "emailMarketingState" TEXT,
    "emailConsentUpdatedAt" TIMESTAMP(3),
    "numberOfOrders" INTEGER NOT NULL DEFAULT 0,
    "amountSpent" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "searchText" TEXT,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "number" INTEGER,
    "customerShopifyId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "customerLocale" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "currencyCode" TEXT,
    "totalPrice" TEXT,
    "processedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "closedAt" TIMESTAMP(3),
    "shopifyCreatedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLineItem" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT,
    "sku" TEXT,
    "quantity" INTEGER NOT NULL,
    "price" TEXT,

    CONSTRAINT "OrderLineItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentOrder" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestStatus" TEXT,
    "fulfillAt" TIMESTAMP(3),
    "fulfillBy" TIMESTAMP(3),
    "holds" TEXT NOT NULL DEFAULT '[]',
    "shopifyUpdatedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FulfillmentOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "name" TEXT,
    "status" TEXT,
    "displayStatus" TEXT,
    "tracking" TEXT NOT NULL DEFAULT '[]',
    "estimatedDeliveryAt" TIMESTAMP(3),
    "inTransitAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "shopifyCreatedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Fulfillment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "bulkOperationId" TEXT,
    "customersTotal" INTEGER,
    "ordersTotal" INTEGER,
    "exportedObjects" INTEGER NOT NULL DEFAULT 0,
    "customersSynced" INTEGER NOT NULL DEFAULT 0,
    "ordersSynced" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncState" (
    "shop" TEXT NOT NULL,
    "lastFullSyncAt" TIMESTAMP(3),
    "customersCursor" TIMESTAMP(3),
    "ordersCursor" TIMESTAMP(3),
    "lastReconciledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncState_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "SupportSettings" (
    "shop" TEXT NOT NULL,
    "fromEmail" TEXT,
    "inboundToken" TEXT,
    "fromName" TEXT,
    "responseTimeHours" INTEGER NOT NULL DEFAULT 24,
    "timeZone" TEXT,
    "businessHours" TEXT NOT NULL DEFAULT '{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]],"sat":[],"sun":[]}',
    "signature" TEXT NOT NULL DEFAULT '',
    "autoAcknowledge" BOOLEAN NOT NULL DEFAULT true,
    "supportPhone" TEXT NOT NULL DEFAULT '',
    "csatEnabled" BOOLEAN NOT NULL DEFAULT true,
    "checkInEnabled" BOOLEAN NOT NULL DEFAULT false,
    "checkInDays" INTEGER NOT NULL DEFAULT 7,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupportSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "channel" TEXT NOT NULL,
    "assigneeId" TEXT,
    "assigneeName" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "customerEmail" TEXT,
    "customerName" TEXT,
    "customerShopifyId" TEXT,
    "locale" TEXT,
    "orderShopifyId" TEXT,
    "orderName" TEXT,
    "replyToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastMessageAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unread" BOOLEAN NOT NULL DEFAULT true,
    "firstResponseAt" TIMESTAMP(3),
    "solvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "slaDueAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "searchText" TEXT,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketMessage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "authorName" TEXT,
    "authorEmail" TEXT,
    "body" TEXT NOT NULL,
    "event" TEXT,
    "eventData" TEXT,
    "emailId" TEXT,
    "messageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundEmail" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ticketId" TEXT,
    "purpose" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "inReplyTo" TEXT,
    "references" TEXT NOT NULL DEFAULT '',
    "fromAddress" TEXT NOT NULL,
    "replyTo" TEXT,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "language" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "smtpResponse" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "bodyPrunedAt" TIMESTAMP(3),
    "dataRequestId" TEXT,

    CONSTRAINT "OutboundEmail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CannedReply" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "usageCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CannedReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CannedReplyVariant" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "cannedReplyId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CannedReplyVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketTag" (
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "TicketTag_pkey" PRIMARY KEY ("shop","name")
);

-- CreateTable
CREATE TABLE "FaqCategory" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "titles" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FaqCategory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaqArticle" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "categoryId" INTEGER,
    "position" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "views" INTEGER NOT NULL DEFAULT 0,
    "helpfulVotes" INTEGER NOT NULL DEFAULT 0,
    "notHelpfulVotes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FaqArticle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaqTranslation" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "articleId" INTEGER NOT NULL,
    "locale" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "answerHtml" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "searchText" TEXT,

    CONSTRAINT "FaqTranslation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaqVote" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "articleId" INTEGER NOT NULL,
    "visitId" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FaqVote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaqSearch" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "sample" TEXT NOT NULL,
    "searches" INTEGER NOT NULL DEFAULT 0,
    "noResult" INTEGER NOT NULL DEFAULT 0,
    "lastResultCount" INTEGER NOT NULL DEFAULT 0,
    "lastSearchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FaqSearch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpVisit" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "visitId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "searches" INTEGER NOT NULL DEFAULT 0,
    "articles" INTEGER NOT NULL DEFAULT 0,
    "contacted" BOOLEAN NOT NULL DEFAULT false,
    "ticketId" TEXT,

    CONSTRAINT "HelpVisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpVisitDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "contacted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "HelpVisitDay_pkey" PRIMARY KEY ("shop","day")
);

-- CreateTable
CREATE TABLE "FaqState" (
    "shop" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "generation" TEXT,
    "copyCheckedAt" TIMESTAMP(3),
    "publishedVersion" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" TIMESTAMP(3),
    "publishError" TEXT,
    "publishedBytes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FaqState_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "DelayNoticeSettings" (
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "triggers" TEXT NOT NULL DEFAULT '["carrier_delayed","carrier_failure","attempted_delivery","on_hold","rescheduled","late_to_ship"]',
    "minDelayMinutes" INTEGER NOT NULL DEFAULT 0,
    "handlingDays" INTEGER NOT NULL DEFAULT 3,
    "excludedOrderTags" TEXT NOT NULL DEFAULT '',
    "excludedCustomerTags" TEXT NOT NULL DEFAULT '',
    "tagOrders" BOOLEAN NOT NULL DEFAULT false,
    "orderTag" TEXT NOT NULL DEFAULT 'delay-notified',
    "templates" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DelayNoticeSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "DelayNotice" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "reason" TEXT,
    "orderShopifyId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "newDate" TIMESTAMP(3),
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "skipReason" TEXT,
    "error" TEXT,
    "language" TEXT,
    "ticketId" TEXT,
    "emailId" TEXT,
    "sendAfter" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "DelayNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SatisfactionSurvey" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "emailId" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rating" INTEGER,
    "comment" TEXT,
    "ratedAt" TIMESTAMP(3),

    CONSTRAINT "SatisfactionSurvey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "skipReason" TEXT,
    "emailId" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "capacity" DOUBLE PRECISION NOT NULL,
    "refillMs" DOUBLE PRECISION NOT NULL,
    "updatedMs" DOUBLE PRECISION NOT NULL,
    "fullMs" DOUBLE PRECISION NOT NULL,
    "allowed" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("shop","key")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_receivedAt_idx" ON "WebhookEvent"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_topic_idx" ON "WebhookEvent"("shop", "topic");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shop_eventId_key" ON "WebhookEvent"("shop", "eventId");

-- CreateIndex
CREATE INDEX "DataRequest_shop_requestedAt_idx" ON "DataRequest"("shop", "requestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shop_webhookEventId_key" ON "DataRequest"("shop", "webhookEventId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_shop_status_updatedAt_idx" ON "Job"("shop", "status", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_shop_kind_key_key" ON "Job"("shop", "kind", "key");

-- CreateIndex
CREATE INDEX "Customer_shop_email_idx" ON "Customer"("shop", "email");

-- CreateIndex
CREATE INDEX "Customer_shop_shopifyUpdatedAt_idx" ON "Customer"("shop", "shopifyUpdatedAt");

-- CreateIndex
CREATE INDEX "Customer_shop_lastName_firstName_idx" ON "Customer"("shop", "lastName", "firstName");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shop_shopifyId_key" ON "Customer"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Order_shop_customerShopifyId_processedAt_idx" ON "Order"("shop", "customerShopifyId", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shop_email_idx" ON "Order"("shop", "email");

-- CreateIndex
CREATE INDEX "Order_shop_name_idx" ON "Order"("shop", "name");

-- CreateIndex
CREATE INDEX "Order_shop_shopifyUpdatedAt_idx" ON "Order"("shop", "shopifyUpdatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_shopifyId_key" ON "Order"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "OrderLineItem_shop_orderShopifyId_idx" ON "OrderLineItem"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLineItem_shop_shopifyId_key" ON "OrderLineItem"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "FulfillmentOrder_shop_orderShopifyId_idx" ON "FulfillmentOrder"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "FulfillmentOrder_shop_status_fulfillBy_idx" ON "FulfillmentOrder"("shop", "status", "fulfillBy");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentOrder_shop_shopifyId_key" ON "FulfillmentOrder"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Fulfillment_shop_orderShopifyId_idx" ON "Fulfillment"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_shop_shopifyId_key" ON "Fulfillment"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "SyncRun_shop_startedAt_idx" ON "SyncRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "SyncRun_shop_bulkOperationId_idx" ON "SyncRun"("shop", "bulkOperationId");

-- CreateIndex
CREATE UNIQUE INDEX "SupportSettings_fromEmail_key" ON "SupportSettings"("fromEmail");

-- CreateIndex
CREATE UNIQUE INDEX "SupportSettings_inboundToken_key" ON "SupportSettings"("inboundToken");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_replyToken_key" ON "Ticket"("replyToken");

-- CreateIndex
CREATE INDEX "Ticket_shop_lastMessageAt_id_idx" ON "Ticket"("shop", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_status_lastMessageAt_id_idx" ON "Ticket"("shop", "status", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_assigneeId_status_lastMessageAt_id_idx" ON "Ticket"("shop", "assigneeId", "status", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_createdAt_id_idx" ON "Ticket"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_slaDueAt_id_idx" ON "Ticket"("shop", "slaDueAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_status_firstResponseAt_slaDueAt_id_idx" ON "Ticket"("shop", "status", "firstResponseAt", "slaDueAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_solvedAt_idx" ON "Ticket"("shop", "solvedAt");

-- CreateIndex
CREATE INDEX "Ticket_shop_customerEmail_idx" ON "Ticket"("shop", "customerEmail");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_shop_number_key" ON "Ticket"("shop", "number");

-- CreateIndex
CREATE INDEX "TicketMessage_shop_ticketId_createdAt_idx" ON "TicketMessage"("shop", "ticketId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TicketMessage_shop_messageId_key" ON "TicketMessage"("shop", "messageId");

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_status_createdAt_idx" ON "OutboundEmail"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_ticketId_idx" ON "OutboundEmail"("shop", "ticketId");

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_bodyPrunedAt_createdAt_idx" ON "OutboundEmail"("shop", "bodyPrunedAt", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_dataRequestId_idx" ON "OutboundEmail"("shop", "dataRequestId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundEmail_shop_messageId_key" ON "OutboundEmail"("shop", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "CannedReply_shop_title_key" ON "CannedReply"("shop", "title");

-- CreateIndex
CREATE INDEX "CannedReplyVariant_shop_idx" ON "CannedReplyVariant"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "CannedReplyVariant_cannedReplyId_locale_key" ON "CannedReplyVariant"("cannedReplyId", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_shop_userId_key" ON "StaffMember"("shop", "userId");

-- CreateIndex
CREATE INDEX "FaqCategory_shop_position_idx" ON "FaqCategory"("shop", "position");

-- CreateIndex
CREATE UNIQUE INDEX "FaqCategory_shop_handle_key" ON "FaqCategory"("shop", "handle");

-- CreateIndex
CREATE INDEX "FaqArticle_shop_published_position_id_idx" ON "FaqArticle"("shop", "published", "position", "id");

-- CreateIndex
CREATE INDEX "FaqArticle_shop_views_idx" ON "FaqArticle"("shop", "views");

-- CreateIndex
CREATE INDEX "FaqTranslation_shop_locale_idx" ON "FaqTranslation"("shop", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "FaqTranslation_articleId_locale_key" ON "FaqTranslation"("articleId", "locale");

-- CreateIndex
CREATE INDEX "FaqVote_shop_articleId_idx" ON "FaqVote"("shop", "articleId");

-- CreateIndex
CREATE INDEX "FaqVote_shop_updatedAt_idx" ON "FaqVote"("shop", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FaqVote_shop_articleId_visitId_key" ON "FaqVote"("shop", "articleId", "visitId");

-- CreateIndex
CREATE INDEX "FaqSearch_shop_noResult_searches_idx" ON "FaqSearch"("shop", "noResult", "searches");

-- CreateIndex
CREATE INDEX "FaqSearch_shop_searches_idx" ON "FaqSearch"("shop", "searches");

-- CreateIndex
CREATE INDEX "FaqSearch_shop_lastSearchedAt_idx" ON "FaqSearch"("shop", "lastSearchedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FaqSearch_shop_locale_query_key" ON "FaqSearch"("shop", "locale", "query");

-- CreateIndex
CREATE INDEX "HelpVisit_shop_startedAt_idx" ON "HelpVisit"("shop", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "HelpVisit_shop_visitId_key" ON "HelpVisit"("shop", "visitId");

-- CreateIndex
CREATE INDEX "DelayNotice_shop_createdAt_id_idx" ON "DelayNotice"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "DelayNotice_shop_status_createdAt_idx" ON "DelayNotice"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "DelayNotice_shop_orderShopifyId_idx" ON "DelayNotice"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "DelayNotice_shop_dedupeKey_key" ON "DelayNotice"("shop", "dedupeKey");

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_shop_sentAt_idx" ON "SatisfactionSurvey"("shop", "sentAt");

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_shop_ratedAt_idx" ON "SatisfactionSurvey"("shop", "ratedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionSurvey_shop_ticketId_key" ON "SatisfactionSurvey"("shop", "ticketId");

-- CreateIndex
CREATE INDEX "CheckIn_shop_status_dueAt_idx" ON "CheckIn"("shop", "status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "CheckIn_shop_orderShopifyId_key" ON "CheckIn"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "RateLimitBucket_shop_fullMs_idx" ON "RateLimitBucket"("shop", "fullMs");

-- AddForeignKey
ALTER TABLE "CannedReplyVariant" ADD CONSTRAINT "CannedReplyVariant_cannedReplyId_fkey" FOREIGN KEY ("cannedReplyId") REFERENCES "CannedReply"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FaqArticle" ADD CONSTRAINT "FaqArticle_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "FaqCategory"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FaqTranslation" ADD CONSTRAINT "FaqTranslation_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "FaqArticle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FaqVote" ADD CONSTRAINT "FaqVote_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "FaqArticle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

