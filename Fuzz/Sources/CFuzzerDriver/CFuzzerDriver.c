// Only the header matters: it declares libFuzzer's driver, which Swift cannot declare itself.
#include "CFuzzerDriver.h"
