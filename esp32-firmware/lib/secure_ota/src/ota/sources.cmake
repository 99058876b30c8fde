# The OTA engine's portable sources (issue 7), for whichever CMake project builds the core:
#   include(lib/secure_ota/src/ota/sources.cmake)
#   target_sources(secure_ota PRIVATE ${SECURE_OTA_OTA_SOURCES})
# Standard library + mbedTLS (crypto only: pk/ecp) like the rest of lib/secure_ota.
set(SECURE_OTA_OTA_DIR ${CMAKE_CURRENT_LIST_DIR})
set(SECURE_OTA_OTA_PARSER_SOURCES
  ${SECURE_OTA_OTA_DIR}/verdict.cpp
  ${SECURE_OTA_OTA_DIR}/base64url.cpp
  ${SECURE_OTA_OTA_DIR}/json_reader.cpp
  ${SECURE_OTA_OTA_DIR}/semver.cpp
  ${SECURE_OTA_OTA_DIR}/manifest_verifier.cpp
  ${SECURE_OTA_OTA_DIR}/freshness_statement.cpp
  ${SECURE_OTA_OTA_DIR}/http_client.cpp
  ${SECURE_OTA_OTA_DIR}/crypto/ecdsa_p256_mbedtls.cpp)
set(SECURE_OTA_OTA_SOURCES
  ${SECURE_OTA_OTA_PARSER_SOURCES}
  ${SECURE_OTA_OTA_DIR}/update_engine.cpp
  ${SECURE_OTA_OTA_DIR}/encrypted_image_stage.cpp
  ${SECURE_OTA_OTA_DIR}/crypto/image_decryption_mbedtls.cpp
  ${SECURE_OTA_OTA_DIR}/flash_counter_store.cpp
  ${SECURE_OTA_OTA_DIR}/rollback_memory.cpp
  ${SECURE_OTA_OTA_DIR}/provisioning.cpp
  ${SECURE_OTA_OTA_DIR}/telemetry_observer.cpp
  ${SECURE_OTA_OTA_DIR}/sntp.cpp
  ${SECURE_OTA_OTA_DIR}/sntp_client.cpp
  ${SECURE_OTA_OTA_DIR}/server_address.cpp
  ${SECURE_OTA_OTA_DIR}/update_agent.cpp)
# The TLS session both ports run, with its policy and verdict mapping: mbedTLS ssl + x509, so
# it goes into the target that links those (ports/host/tls: secure_ota_host_tls). PlatformIO
# builds all of src/ with the framework's mbedTLS.
set(SECURE_OTA_OTA_TLS_SOURCES
  ${SECURE_OTA_OTA_DIR}/crypto/tls_connector_mbedtls.cpp
  ${SECURE_OTA_OTA_DIR}/crypto/tls_verdicts_mbedtls.cpp)
