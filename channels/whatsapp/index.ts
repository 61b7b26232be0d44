/** The WhatsApp Cloud API channel: the client that sends, and the webhook that receives. */
export {
  CUSTOMER_SERVICE_WINDOW_MS,
  WhatsAppClient,
  type WhatsAppClientOptions,
} from './client.js';
export { WhatsAppApiError, WhatsAppTransportError } from './errors.js';
export { formatWhatsApp } from './format.js';
export { WHATSAPP_WEBHOOK_PATH, whatsappWebhook, type WhatsAppWebhookOptions } from './webhook.js';
