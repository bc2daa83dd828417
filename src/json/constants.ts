/** The longest `id` or `re` accepted, in UTF-16 code units (JavaScript's string length). */
export const MAX_ID_LENGTH = 128;

/** The type of an acknowledgement: `{"type":"ack","re":id}`. */
export const ACK_TYPE = 'ack';

/** The error code of an answer to a message that nothing on the receiver handles. */
export const UNHANDLED = 'UNHANDLED';
