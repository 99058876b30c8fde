#!/usr/bin/env bash
# Proves the real board's build cannot select a weakened defence profile: compiles
# lib/secure_ota/src/defence_profile.cpp (the one file a profile changes) the way Arduino-ESP32
# (-DARDUINO) and ESP-IDF (-DESP_PLATFORM) see it. Without SECURE_OTA_WITHOUT_* it must compile;
# with any one of them it must stop at the #error that names the rule.
# Usage: defence_profile_real_board.sh CXX FIRMWARE_ROOT
set -uo pipefail
cxx=$1 root=$2
src=$root/lib/secure_ota/src/defence_profile.cpp
inc=$root/lib/secure_ota/include
fail=0
for platform in -DARDUINO=10812 -DESP_PLATFORM; do
  if ! "$cxx" -std=c++17 -fsyntax-only -I"$inc" "$platform" "$src"; then
    echo "FAIL: the secure profile does not compile with $platform"; fail=1
  fi
  for check in PINNING SIGNATURE HASH SIZE_CHECK ANTI_REPLAY ANTI_DOWNGRADE TIME_FLOOR ROLLBACK; do
    out=$("$cxx" -std=c++17 -fsyntax-only -I"$inc" "$platform" -DSECURE_OTA_WITHOUT_$check=1 \
          '-DSECURE_OTA_PROFILE_NAME="weakened"' "$src" 2>&1)
    if [[ $? -eq 0 ]]; then
      echo "FAIL: $platform accepted SECURE_OTA_WITHOUT_$check"; fail=1
    elif ! grep -q "weakened defence profiles" <<<"$out"; then
      echo "FAIL: $platform with SECURE_OTA_WITHOUT_$check failed for another reason:"; echo "$out"; fail=1
    else
      echo "ok: $platform refuses SECURE_OTA_WITHOUT_$check"
    fi
  done
done
# The lab (host) build accepts them: the refusal is the platform's, not the macro's.
"$cxx" -std=c++17 -fsyntax-only -I"$inc" -DSECURE_OTA_WITHOUT_HASH=1 '-DSECURE_OTA_PROFILE_NAME="no-hash"' "$src" ||
  { echo "FAIL: the host build refuses a weakened profile"; fail=1; }
exit $fail
