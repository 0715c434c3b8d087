/* The signatures of peer requests already served within the clock skew they are accepted in:
 * a signed request sent again, byte for byte, is refused. */
#ifndef JAGA_SERVER_REPLAY_GUARD_H
#define JAGA_SERVER_REPLAY_GUARD_H

#include <stdint.h>

typedef struct replay_guard replay_guard;

/* Room for slots signatures (a power of two is not needed); window: how many seconds a
 * signature's time stays acceptable either side of now. NULL when out of memory. */
replay_guard *replay_guard_open(uint32_t slots, int64_t window);
void replay_guard_free(replay_guard *g);

/* Records a verified request's signature and time: 0 when it is new, 1 when it was seen
 * (a replay), -1 when the guard is full of live signatures (refuse the request for now).
 * Thread-safe. */
int replay_guard_check(replay_guard *g, const uint8_t signature[64], int64_t time, int64_t now);

#endif
