/* jaga: content-safety engine. The umbrella header of the public C API. */
#ifndef JAGA_H
#define JAGA_H

#include "jaga/audit.h"
#include "jaga/blur.h"
#include "jaga/digest.h"
#include "jaga/cases.h"
#include "jaga/engine.h"
#include "jaga/exchange.h"
#include "jaga/geo.h"
#include "jaga/ident.h"
#include "jaga/media.h"
#include "jaga/pdq.h"
#include "jaga/policy.h"
#include "jaga/scan.h"
#include "jaga/status.h"
#include "jaga/transparency.h"
#include "jaga/video.h"
#include "jaga/visibility.h"
#include "jaga/vpdq.h"

#define JAGA_VERSION "0.1.0"

#endif
