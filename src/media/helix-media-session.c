/* helix-media-session.c — the media side of one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For now a session owns the RTP/RTCP port pair that the call's SDP
 * advertises, chosen by the OS (an even RTP port, RTCP on the next one),
 * and names the codecs offered.  Audio itself is not streamed yet.
 */
#define G_LOG_DOMAIN "helix-media"

#include "helix-media-session.h"

#define PORT_ATTEMPTS 32

struct _HelixMediaSession {
  GObject  parent_instance;

  GSocket *rtp_socket;
  GSocket *rtcp_socket;
  guint    local_port;
};

G_DEFINE_FINAL_TYPE (HelixMediaSession, helix_media_session, G_TYPE_OBJECT)

static const char * const codecs[] = { "PCMU/8000", "PCMA/8000", NULL };

/* Dual-stack "::" so IPv6 and IPv4 peers reach the same socket. */
static GSocket *
bind_udp (guint    port,
          GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  if (socket == NULL)
    {
      g_autoptr(GInetAddress) any4 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);

      g_clear_object (&address);
      address = g_inet_socket_address_new (any4, port);
      socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
      if (socket == NULL)
        return NULL;
    }

  if (!g_socket_bind (socket, address, FALSE, error))
    return NULL;

  return g_steal_pointer (&socket);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

  return local != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : 0;
}

HelixMediaSession *
helix_media_session_new (GError **error)
{
  g_autoptr(HelixMediaSession) self = g_object_new (HELIX_TYPE_MEDIA_SESSION, NULL);

  for (guint attempt = 0; attempt < PORT_ATTEMPTS; attempt++)
    {
      g_autoptr(GSocket) rtp = bind_udp (0, error);
      g_autoptr(GSocket) rtcp = NULL;
      guint port;

      if (rtp == NULL)
        return NULL;

      port = socket_port (rtp);
      if (port % 2 != 0 || port >= 65535)
        continue;

      rtcp = bind_udp (port + 1, NULL);
      if (rtcp == NULL)
        continue;

      self->rtp_socket = g_steal_pointer (&rtp);
      self->rtcp_socket = g_steal_pointer (&rtcp);
      self->local_port = port;
      return g_steal_pointer (&self);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
               "No free UDP port pair for call audio");
  return NULL;
}

guint
helix_media_session_get_local_port (HelixMediaSession *self)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), 0);

  return self->local_port;
}

const char * const *
helix_media_session_get_codecs (HelixMediaSession *self)
{
  g_return_val_if_fail (HELIX_IS_MEDIA_SESSION (self), NULL);

  return codecs;
}

static void
helix_media_session_dispose (GObject *object)
{
  HelixMediaSession *self = HELIX_MEDIA_SESSION (object);

  if (self->rtp_socket != NULL)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket != NULL)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);

  G_OBJECT_CLASS (helix_media_session_parent_class)->dispose (object);
}

static void
helix_media_session_class_init (HelixMediaSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = helix_media_session_dispose;
}

static void
helix_media_session_init (HelixMediaSession *self)
{
}
