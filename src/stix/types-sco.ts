/**
 * TypeScript model of the STIX 2.1 Cyber-observable Objects (§6) and their predefined extensions, mirroring
 * schemas/stix. Re-exported by types.ts.
 */
import type { Extensions, Hashes, Identifier, ScoCommonProperties, Timestamp } from './types';

/** STIX 2.1 §6.7.2: archive-ext. */
export interface ArchiveExtension {
  contains_refs: Identifier[];
  comment?: string;
}

/** STIX 2.1 §6.7.3: ntfs-ext. */
export interface NtfsExtension {
  sid?: string;
  alternate_data_streams?: Array<{ name: string; hashes?: Hashes; size?: number; }>;
}

/** STIX 2.1 §6.7.4: pdf-ext. */
export interface PdfExtension {
  version?: string;
  is_optimized?: boolean;
  document_info_dict?: Record<string, unknown>;
  pdfid0?: string;
  pdfid1?: string;
}

/** STIX 2.1 §6.7.5: raster-image-ext. */
export interface RasterImageExtension {
  image_height?: number;
  image_width?: number;
  bits_per_pixel?: number;
  exif_tags?: Record<string, unknown>;
}

/** STIX 2.1 §6.7.6: windows-pebinary-ext. */
export interface WindowsPebinaryExtension {
  pe_type: string;
  imphash?: string;
  machine_hex?: string;
  number_of_sections?: number;
  time_date_stamp?: Timestamp;
  pointer_to_symbol_table_hex?: string;
  number_of_symbols?: number;
  size_of_optional_header?: number;
  characteristics_hex?: string;
  file_header_hashes?: Hashes;
  optional_header?: { magic_hex?: string; major_linker_version?: number; minor_linker_version?: number; size_of_code?: number; size_of_initialized_data?: number; size_of_uninitialized_data?: number; address_of_entry_point?: number; base_of_code?: number; base_of_data?: number; image_base?: number; section_alignment?: number; file_alignment?: number; major_os_version?: number; minor_os_version?: number; major_image_version?: number; minor_image_version?: number; major_subsystem_version?: number; minor_subsystem_version?: number; win32_version_value_hex?: string; size_of_image?: number; size_of_headers?: number; checksum_hex?: string; subsystem_hex?: string; dll_characteristics_hex?: string; size_of_stack_reserve?: number; size_of_stack_commit?: number; size_of_heap_reserve?: number; size_of_heap_commit?: number; loader_flags_hex?: string; number_of_rva_and_sizes?: number; hashes?: Hashes; };
  sections?: Array<{ name: string; size?: number; entropy?: number; hashes?: Hashes; }>;
}

/** STIX 2.1 §6.12.2: http-request-ext. */
export interface HttpRequestExtension {
  request_method: string;
  request_value: string;
  request_version?: string;
  request_header?: Record<string, unknown>;
  message_body_length?: number;
  message_body_data_ref?: Identifier;
}

/** STIX 2.1 §6.12.3: icmp-ext. */
export interface IcmpExtension {
  icmp_type_hex: string;
  icmp_code_hex: string;
}

/** STIX 2.1 §6.12.4: socket-ext. */
export interface SocketExtension {
  address_family: 'AF_UNSPEC' | 'AF_INET' | 'AF_IPX' | 'AF_APPLETALK' | 'AF_NETBIOS' | 'AF_INET6' | 'AF_IRDA' | 'AF_BTH';
  is_blocking?: boolean;
  is_listening?: boolean;
  options?: Record<string, unknown>;
  socket_type?: 'SOCK_STREAM' | 'SOCK_DGRAM' | 'SOCK_RAW' | 'SOCK_RDM' | 'SOCK_SEQPACKET';
  socket_descriptor?: number;
  socket_handle?: number;
}

/** STIX 2.1 §6.12.5: tcp-ext. */
export interface TcpExtension {
  src_flags_hex?: string;
  dst_flags_hex?: string;
}

/** STIX 2.1 §6.13.2: windows-process-ext. */
export interface WindowsProcessExtension {
  aslr_enabled?: boolean;
  dep_enabled?: boolean;
  priority?: string;
  owner_sid?: string;
  window_title?: string;
  startup_info?: Record<string, unknown>;
  integrity_level?: 'low' | 'medium' | 'high' | 'system';
}

/** STIX 2.1 §6.13.3: windows-service-ext. */
export interface WindowsServiceExtension {
  service_name?: string;
  descriptions?: string[];
  display_name?: string;
  group_name?: string;
  start_type?: 'SERVICE_AUTO_START' | 'SERVICE_BOOT_START' | 'SERVICE_DEMAND_START' | 'SERVICE_DISABLED' | 'SERVICE_SYSTEM_ALERT';
  service_dll_refs?: Identifier[];
  service_type?: 'SERVICE_KERNEL_DRIVER' | 'SERVICE_FILE_SYSTEM_DRIVER' | 'SERVICE_WIN32_OWN_PROCESS' | 'SERVICE_WIN32_SHARE_PROCESS';
  service_status?: 'SERVICE_CONTINUE_PENDING' | 'SERVICE_PAUSE_PENDING' | 'SERVICE_PAUSED' | 'SERVICE_RUNNING' | 'SERVICE_START_PENDING' | 'SERVICE_STOP_PENDING' | 'SERVICE_STOPPED';
}

/** STIX 2.1 §6.16.2: unix-account-ext. */
export interface UnixAccountExtension {
  gid?: number;
  groups?: string[];
  home_dir?: string;
  shell?: string;
}

/** STIX 2.1 §6.1: artifact. */
export interface Artifact extends ScoCommonProperties {
  type: 'artifact';
  mime_type?: string;
  payload_bin?: string;
  url?: string;
  hashes?: Hashes;
  encryption_algorithm?: 'AES-256-GCM' | 'ChaCha20-Poly1305' | 'mime-type-indicated';
  decryption_key?: string;
}

/** STIX 2.1 §6.2: autonomous-system. */
export interface AutonomousSystem extends ScoCommonProperties {
  type: 'autonomous-system';
  number: number;
  name?: string;
  rir?: string;
}

/** STIX 2.1 §6.3: directory. */
export interface Directory extends ScoCommonProperties {
  type: 'directory';
  path: string;
  path_enc?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  contains_refs?: Identifier[];
}

/** STIX 2.1 §6.4: domain-name. */
export interface DomainName extends ScoCommonProperties {
  type: 'domain-name';
  value: string;
  resolves_to_refs?: Identifier[];
}

/** STIX 2.1 §6.5: email-addr. */
export interface EmailAddr extends ScoCommonProperties {
  type: 'email-addr';
  value: string;
  display_name?: string;
  belongs_to_ref?: Identifier;
}

/** STIX 2.1 §6.6: email-message. */
export interface EmailMessage extends ScoCommonProperties {
  type: 'email-message';
  is_multipart: boolean;
  date?: Timestamp;
  content_type?: string;
  from_ref?: Identifier;
  sender_ref?: Identifier;
  to_refs?: Identifier[];
  cc_refs?: Identifier[];
  bcc_refs?: Identifier[];
  message_id?: string;
  subject?: string;
  received_lines?: string[];
  additional_header_fields?: Record<string, unknown>;
  body?: string;
  body_multipart?: Array<{ body?: string; body_raw_ref?: Identifier; content_type?: string; content_disposition?: string; }>;
  raw_email_ref?: Identifier;
}

/** STIX 2.1 §6.7: file. */
export interface File extends ScoCommonProperties {
  type: 'file';
  hashes?: Hashes;
  size?: number;
  name?: string;
  name_enc?: string;
  magic_number_hex?: string;
  mime_type?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  parent_directory_ref?: Identifier;
  contains_refs?: Identifier[];
  content_ref?: Identifier;
  extensions?: Extensions & { 'archive-ext'?: ArchiveExtension; 'ntfs-ext'?: NtfsExtension; 'pdf-ext'?: PdfExtension; 'raster-image-ext'?: RasterImageExtension; 'windows-pebinary-ext'?: WindowsPebinaryExtension; };
}

/** STIX 2.1 §6.8: ipv4-addr. */
export interface Ipv4Addr extends ScoCommonProperties {
  type: 'ipv4-addr';
  value: string;
  resolves_to_refs?: Identifier[];
  belongs_to_refs?: Identifier[];
}

/** STIX 2.1 §6.9: ipv6-addr. */
export interface Ipv6Addr extends ScoCommonProperties {
  type: 'ipv6-addr';
  value: string;
  resolves_to_refs?: Identifier[];
  belongs_to_refs?: Identifier[];
}

/** STIX 2.1 §6.10: mac-addr. */
export interface MacAddr extends ScoCommonProperties {
  type: 'mac-addr';
  value: string;
}

/** STIX 2.1 §6.11: mutex. */
export interface Mutex extends ScoCommonProperties {
  type: 'mutex';
  name: string;
}

/** STIX 2.1 §6.12: network-traffic. */
export interface NetworkTraffic extends ScoCommonProperties {
  type: 'network-traffic';
  start?: Timestamp;
  end?: Timestamp;
  is_active?: boolean;
  src_ref?: Identifier;
  dst_ref?: Identifier;
  src_port?: number;
  dst_port?: number;
  protocols: string[];
  src_byte_count?: number;
  dst_byte_count?: number;
  src_packets?: number;
  dst_packets?: number;
  ipfix?: Record<string, unknown>;
  src_payload_ref?: Identifier;
  dst_payload_ref?: Identifier;
  encapsulates_refs?: Identifier[];
  encapsulated_by_ref?: Identifier;
  extensions?: Extensions & { 'http-request-ext'?: HttpRequestExtension; 'icmp-ext'?: IcmpExtension; 'socket-ext'?: SocketExtension; 'tcp-ext'?: TcpExtension; };
}

/** STIX 2.1 §6.13: process. */
export interface Process extends ScoCommonProperties {
  type: 'process';
  is_hidden?: boolean;
  pid?: number;
  created_time?: Timestamp;
  cwd?: string;
  command_line?: string;
  environment_variables?: Record<string, unknown>;
  opened_connection_refs?: Identifier[];
  creator_user_ref?: Identifier;
  image_ref?: Identifier;
  parent_ref?: Identifier;
  child_refs?: Identifier[];
  extensions?: Extensions & { 'windows-process-ext'?: WindowsProcessExtension; 'windows-service-ext'?: WindowsServiceExtension; };
}

/** STIX 2.1 §6.14: software. */
export interface Software extends ScoCommonProperties {
  type: 'software';
  name: string;
  cpe?: string;
  swid?: string;
  languages?: string[];
  vendor?: string;
  version?: string;
}

/** STIX 2.1 §6.15: url. */
export interface Url extends ScoCommonProperties {
  type: 'url';
  value: string;
}

/** STIX 2.1 §6.16: user-account. */
export interface UserAccount extends ScoCommonProperties {
  type: 'user-account';
  user_id?: string;
  credential?: string;
  account_login?: string;
  account_type?: string;
  display_name?: string;
  is_service_account?: boolean;
  is_privileged?: boolean;
  can_escalate_privs?: boolean;
  is_disabled?: boolean;
  account_created?: Timestamp;
  account_expires?: Timestamp;
  credential_last_changed?: Timestamp;
  account_first_login?: Timestamp;
  account_last_login?: Timestamp;
  extensions?: Extensions & { 'unix-account-ext'?: UnixAccountExtension; };
}

/** STIX 2.1 §6.17: windows-registry-key. */
export interface WindowsRegistryKey extends ScoCommonProperties {
  type: 'windows-registry-key';
  key?: string;
  values?: Array<{ name?: string; data?: string; data_type?: 'REG_NONE' | 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_BINARY' | 'REG_DWORD' | 'REG_DWORD_BIG_ENDIAN' | 'REG_DWORD_LITTLE_ENDIAN' | 'REG_LINK' | 'REG_MULTI_SZ' | 'REG_RESOURCE_LIST' | 'REG_FULL_RESOURCE_DESCRIPTION' | 'REG_RESOURCE_REQUIREMENTS_LIST' | 'REG_QWORD' | 'REG_INVALID_TYPE'; }>;
  modified_time?: Timestamp;
  creator_user_ref?: Identifier;
  number_of_subkeys?: number;
}

/** STIX 2.1 §6.18: x509-certificate. */
export interface X509Certificate extends ScoCommonProperties {
  type: 'x509-certificate';
  is_self_signed?: boolean;
  hashes?: Hashes;
  version?: string;
  serial_number?: string;
  signature_algorithm?: string;
  issuer?: string;
  validity_not_before?: Timestamp;
  validity_not_after?: Timestamp;
  subject?: string;
  subject_public_key_algorithm?: string;
  subject_public_key_modulus?: string;
  subject_public_key_exponent?: number;
  x509_v3_extensions?: { basic_constraints?: string; name_constraints?: string; policy_constraints?: string; key_usage?: string; extended_key_usage?: string; subject_key_identifier?: string; authority_key_identifier?: string; subject_alternative_name?: string; issuer_alternative_name?: string; subject_directory_attributes?: string; crl_distribution_points?: string; inhibit_any_policy?: string; certificate_policies?: string; policy_mappings?: string; private_key_usage_period_not_before?: Timestamp; private_key_usage_period_not_after?: Timestamp; };
}
