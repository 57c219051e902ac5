#!/usr/bin/env node
// Entry point of `cdk synth` / `cdk deploy`: reads the configuration and creates the stacks, nothing else.
import { App } from 'aws-cdk-lib';
import { loadPlatformConfig } from '../config/platform-config';
import { definePlatform } from '../lib/platform';

const app = new App();
definePlatform(app, loadPlatformConfig(app.node.tryGetContext('env')));
app.synth();
