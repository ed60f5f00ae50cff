import { ConfigurableModuleBuilder } from '@nestjs/common';
import { GrpcSecurityOptions } from './grpc-security.options';

export const { ConfigurableModuleClass: ConfigurableGrpcSecurityModule, MODULE_OPTIONS_TOKEN: GRPC_SECURITY_OPTIONS } =
  new ConfigurableModuleBuilder<GrpcSecurityOptions>({ moduleName: 'GrpcSecurity' }).setClassMethodName('forRoot').build();
