// The Socket.IO events of the Parley chat application (README "Application" section), typed once
// and shared by the socket manager and every hook.

export type UserId = number;
export type MessageId = number;
export type RoomId = string;

export interface User {
  id: UserId;
  username: string;
  role: 'user' | 'admin' | string;
}

export interface Room {
  id: RoomId;
  name: string;
  isPrivate: boolean;
}

export interface ChatMessage {
  id: MessageId;
  roomId: RoomId;
  sender: { id: UserId; name: string };
  text: string;
  replyTo?: { id: MessageId; text: string; senderId: UserId };
  timestamp: number;
  readBy: UserId[];
}

export interface ErrorAck {
  success: false;
  error: string;
  code: string;
}
export type Ack<T extends object = object> = ({ success: true } & T) | ErrorAck;

export interface NotificationPayload {
  type?: 'STOCK_UPDATE' | 'STOCK_SOLD_OUT' | 'PRICE_DROP' | string;
  productId?: string;
  stock?: number;
  isLowStock?: boolean;
  message?: string;
  oldPrice?: number;
  newPrice?: number;
  changePercent?: string;
  jobId?: string;
  progress?: number;
  status?: string;
  timestamp?: number;
  notificationId?: number;
}

/** An inbox entry, as GET /api/notifications and `notifications:unread` list it. */
export interface InboxItem {
  id: number;
  event: 'notification' | 'job:progress' | string;
  payload: NotificationPayload;
  createdAt: number;
  read: boolean;
}

export interface Announcement {
  message: string;
  from: { id: UserId; name: string };
  timestamp: number;
}

export interface DirectMessage {
  fromUserId: UserId;
  fromUsername: string;
  message: string;
  timestamp: number;
}

/** Events the server emits on the main namespace `/`. */
export interface ServerToClientEvents {
  'room:history': (p: { roomId: RoomId; messages: ChatMessage[] }) => void;
  'room:member-update': (p: { type: 'joined' | 'left'; userId: UserId; roomId: RoomId; memberCount: number; reason?: string }) => void;
  'chat:message': (m: ChatMessage) => void;
  'chat:read-receipt': (p: { userId: UserId; username?: string; roomId: RoomId; lastReadMessageId: MessageId; timestamp: number }) => void;
  'chat:user-typing': (p: { userId: UserId; username?: string; roomId: RoomId }) => void;
  'chat:user-stopped-typing': (p: { userId: UserId; username?: string; roomId: RoomId }) => void;
  'chat:direct': (p: DirectMessage) => void;
  notification: (p: NotificationPayload) => void;
  'job:progress': (p: NotificationPayload) => void;
  'notifications:unread': (p: { unread: number; notifications: InboxItem[] }) => void;
  error: (p: { event: string; error: string; code: string }) => void;
}

/** Events the client emits on `/`. */
export interface ClientToServerEvents {
  'room:join': (roomId: RoomId, ack: (a: Ack<{ roomId: RoomId }>) => void) => void;
  'room:leave': (roomId: RoomId, ack: (a: Ack<{ roomId: RoomId }>) => void) => void;
  'chat:send': (p: { roomId: RoomId; text: string; replyToId?: MessageId; clientMsgId?: string }, ack: (a: Ack<{ messageId: MessageId; duplicate?: boolean }>) => void) => void;
  'chat:read': (p: { roomId: RoomId; lastReadMessageId: MessageId }) => void;
  'chat:typing-start': (p: { roomId: RoomId }) => void;
  'chat:typing-stop': (p: { roomId: RoomId }) => void;
  'user:direct-message': (p: { targetId: UserId; message: string }, ack: (a: Ack) => void) => void;
  'notifications:read': (p: { ids: number[] } | { all: true }, ack: (a: Ack<{ updated: number; unread: number }>) => void) => void;
}

/** `/admin` (role admin only). */
export interface AdminServerToClientEvents {
  'admin:stock-alert': (p: NotificationPayload) => void;
  'admin:announcement': (p: Announcement) => void;
  error: (p: { event: string; error: string; code: string }) => void;
}
export interface AdminClientToServerEvents {
  'broadcast:all': (p: { message: string }, ack: (a: Ack) => void) => void;
}

/** `data.code` of a CONNECT_ERROR refused by the server's auth middleware. */
export const AUTH_ERROR_CODES = ['AUTH_REQUIRED', 'TOKEN_INVALID', 'TOKEN_EXPIRED', 'ACCOUNT_DISABLED', 'FORBIDDEN'] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];
